import type { ChartKey } from '../domain/chart.js';
import type { RunQuery } from '../domain/ports/run-ledger.js';
import type { Run } from '../domain/run.js';
import type { BackupRequest } from './backup.js';
import type { ActiveCaptures, CaptureNowRequest } from './capture-now.js';
import type { ChartExportRequest } from './chart-export.js';
import type { AppContext } from './context.js';
import type { TopRequest } from './history.js';
import type { ImportFilesRequest } from './import-files.js';
import type { SeedRequest } from './seed.js';
import type { ImportOptions, RecordCounts } from './transfer.js';
import type { TriggerRequest } from './trigger.js';

/**
 * Everything a user can do, for every entry point (the CLI, the web server): each method is one
 * use case, in a module of its own that is loaded when first used (so that a command that only
 * reads loads only what reading needs). Open one with openApp; close it when done.
 */
export class App {
  /** Runs under way in this process, to mark interrupted if the process is stopped. */
  private readonly active: ActiveCaptures = new Map();

  constructor(
    readonly context: AppContext,
    private readonly closeAll: () => Promise<void>,
  ) {}

  get config() {
    return this.context.config;
  }

  get logger() {
    return this.context.logger;
  }

  get events() {
    return this.context.events;
  }

  /** Where the data lives, safe to print: "sqlite store /path/chartkeeper.db". */
  get storeLocation(): string {
    return `${this.context.store.kind} store ${this.context.store.location}`;
  }

  /** Captures charts now (`chartkeeper run`). */
  async captureNow(request: CaptureNowRequest): Promise<Run[]> {
    const { captureNow } = await import('./capture-now.js');
    return captureNow(this.context, this.active, request);
  }

  /** Marks the captures under way in this process interrupted (the process is being stopped). */
  async interrupt(why: string): Promise<Run[]> {
    const { interruptActiveRuns } = await import('./capture-now.js');
    return interruptActiveRuns(this.context, this.active, why);
  }

  /** A stored chart, by key and date, with the fallback `chartkeeper chart` shows. */
  async findChart(request: { key?: ChartKey; date?: string }) {
    const { findChart } = await import('./charts.js');
    return findChart(this.context, request);
  }

  /** A stored chart with each entry's change in streams against the previous one (`chart`). */
  async findChartWithChanges(request: { key?: ChartKey; date?: string }) {
    const { findChartWithChanges } = await import('./charts.js');
    return findChartWithChanges(this.context, request);
  }

  /** Every stored chart key: title, first and last date, number of charts (`charts`). */
  async listChartKeys() {
    const { listChartKeys } = await import('./history.js');
    return listChartKeys(this.context);
  }

  /** A track's history per chart key, by id, URI, link or title (`history TRACK`). */
  async trackHistory(request: { track: string; key?: ChartKey; groupVersions?: boolean }) {
    const { historyOfTrack } = await import('./history.js');
    return historyOfTrack(this.context, request);
  }

  /** An artist's entries per chart key and day (`history --artist`). */
  async artistHistory(request: { artist: string; key?: ChartKey }) {
    const { historyOfArtist } = await import('./history.js');
    return historyOfArtist(this.context, request);
  }

  /** Climbers, fallers, new entries, re-entries and drop-outs (`movers`). */
  async movers(request: { key?: ChartKey; date?: string; limit: number }) {
    const { findMovers } = await import('./history.js');
    return findMovers(this.context, request);
  }

  /** Tracks, songs or artists ranked over a period (`top`). */
  async top(request: TopRequest) {
    const { topOf } = await import('./history.js');
    return topOf(this.context, request);
  }

  /** The run ledger, newest first: by chart, state and trigger, a page at a time (`runs`). */
  async listRuns(query: RunQuery) {
    const { listRuns } = await import('./runs.js');
    return listRuns(this.context, query);
  }

  /** A run by id or id prefix; the latest without one. */
  async findRun(id?: string) {
    const { findRun } = await import('./runs.js');
    return findRun(this.context, id);
  }

  /** Whether the store and the queue answer (`/readyz`). */
  async readiness() {
    const { readiness } = await import('./health.js');
    return readiness(this.context);
  }

  /** The latest succeeded run of each configured chart (where there is one), for metrics. */
  async lastSuccesses(): Promise<Run[]> {
    const { lastSuccesses } = await import('./runs.js');
    return lastSuccesses(this.context);
  }

  /**
   * Checks the configuration, store, queue, login, credentials and whether each configured chart
   * (or each of `keys`) can be captured (`chartkeeper doctor`); keeps what it learns of the app.
   */
  async doctor(keys?: readonly ChartKey[]) {
    const { runDoctor } = await import('./doctor.js');
    return runDoctor(this.context, keys);
  }

  /**
   * Spotify as the status page and metrics show it: the quota exhaustion the store knows of
   * (until when, and whether it holds now) and what the latest `doctor` learned of the app.
   */
  async spotifyStatus() {
    const { spotifyStatus } = await import('./doctor.js');
    return spotifyStatus(this.context);
  }

  /** The user login: who, until when, the expiry warning; never the token (`auth status`). */
  async loginStatus() {
    const { loginStatus } = await import('./auth.js');
    return loginStatus(this.context.config);
  }

  /** Notes where this `serve` answers, so that other commands on the store can reach it. */
  async recordWebUrl(url: string): Promise<void> {
    await this.context.coordination.setState('web.url', url);
  }

  /** Forgets where this `serve` answered, as it stops (unless another serve recorded its own since). */
  async forgetWebUrl(url: string): Promise<void> {
    const { coordination } = this.context;
    if ((await coordination.getState('web.url')) === url)
      await coordination.setState('web.url', null);
  }

  /** Records a web UI session until `until` (ms), dropping the ended ones. */
  async startWebSession(id: string, until: number, now = Date.now()): Promise<void> {
    const { coordination } = this.context;
    const sessions = (await coordination.getState('web.sessions')) ?? {};
    const kept = Object.fromEntries(Object.entries(sessions).filter(([, end]) => end > now));
    await coordination.setState('web.sessions', { ...kept, [id]: until });
  }

  /** Whether a web UI session was started, has not ended and was not logged out. */
  async webSessionValid(id: string, now = Date.now()): Promise<boolean> {
    const sessions = await this.context.coordination.getState('web.sessions');
    return (sessions?.[id] ?? 0) > now;
  }

  /** Ends a web UI session (log out). */
  async endWebSession(id: string): Promise<void> {
    const { coordination } = this.context;
    const sessions = await coordination.getState('web.sessions');
    if (!sessions || !(id in sessions)) return;
    const { [id]: _ended, ...rest } = sessions;
    await coordination.setState('web.sessions', rest);
  }

  async pause() {
    const { pause } = await import('./schedule.js');
    return pause(this.context);
  }

  async resume() {
    const { resume } = await import('./schedule.js');
    return resume(this.context);
  }

  async scheduleState() {
    const { scheduleState } = await import('./schedule.js');
    return scheduleState(this.context);
  }

  /**
   * Queues captures for the `serve` of this store (at once when this process serves: the API's
   * trigger); with `waitMs`, waits for the runs.
   */
  async trigger(request: TriggerRequest) {
    const { triggerCaptures } = await import('./trigger.js');
    return triggerCaptures(this.context, request);
  }

  /**
   * `chartkeeper trigger`: asks the running `serve` through its HTTP API, or through the store
   * when none answers there.
   */
  async triggerThroughServe(request: Omit<TriggerRequest, 'trigger'>) {
    const { triggerThroughServe } = await import('./trigger.js');
    return triggerThroughServe(this.context, request);
  }

  async exportTo(
    write: (line: string) => Promise<void>,
    progress?: (counts: RecordCounts) => void,
  ) {
    const { exportTo } = await import('./transfer.js');
    return exportTo(this.context, write, progress);
  }

  async exportToFile(
    path: string,
    options: { force?: boolean; progress?: (counts: RecordCounts) => void },
  ) {
    const { exportToFile } = await import('./transfer.js');
    return exportToFile(this.context, path, options);
  }

  /** Charts with their entries as CSV or NDJSON (`chartkeeper export --format`), streamed. */
  async exportCharts(request: ChartExportRequest, write: (text: string) => Promise<void>) {
    const { exportChartsTo } = await import('./chart-export.js');
    return exportChartsTo(this.context, request, write);
  }

  async exportChartsToFile(path: string, request: ChartExportRequest & { force?: boolean }) {
    const { exportChartsToFile } = await import('./chart-export.js');
    return exportChartsToFile(this.context, path, request);
  }

  async importFrom(lines: AsyncIterable<string>, options: ImportOptions) {
    const { importFrom } = await import('./transfer.js');
    return importFrom(this.context, lines, options);
  }

  /** Imports chart files, folders of them and exports (`chartkeeper import`). */
  async importFiles(request: ImportFilesRequest) {
    const [{ importFiles }, { chartFiles }] = await Promise.all([
      import('./import-files.js'),
      import('../adapters/chart-files/chart-files.js'),
    ]);
    return importFiles(this.context, chartFiles, request);
  }

  async importFromAirflow(request: SeedRequest) {
    const { importFromAirflow } = await import('./seed.js');
    return importFromAirflow(this.context, request);
  }

  /** A consistent copy of the store, taken while it is in use (`chartkeeper backup`). */
  async backup(request: BackupRequest) {
    const { backupStore } = await import('./backup.js');
    return backupStore(this.context, request);
  }

  async flush() {
    const { flushOutbox } = await import('./flush.js');
    return flushOutbox(this.context);
  }

  async serve() {
    const { startServing } = await import('./serve.js');
    return startServing(this.context);
  }

  async worker() {
    const { startWorker } = await import('./serve.js');
    return startWorker(this.context);
  }

  /** Closes the store, the executor and the rate limiter. */
  close(): Promise<void> {
    return this.closeAll();
  }

  /** The latest run of each configured chart and of every other chart that ran lately. */
  async lastRunPerChart() {
    const { lastRunPerChart } = await import('./run-overview.js');
    return lastRunPerChart(this.context);
  }

  /** A chart by key and date (latest without one) with the stored dates before and after it. */
  async chartPage(request: { key: ChartKey; date?: string }) {
    const { findChartPage } = await import('./chart-page.js');
    return findChartPage(this.context, request);
  }

  /** Tracks and artists by title or artist name. */
  async search(text: string) {
    const { searchCatalogue } = await import('./search.js');
    return searchCatalogue(this.context, text);
  }

  /** The configuration in effect (secrets masked), version, and store, queue and Spotify reachability. */
  async status() {
    const { statusReport } = await import('./status.js');
    return statusReport(this.context);
  }
}
