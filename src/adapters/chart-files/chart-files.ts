import type { ChartFiles } from '../../domain/ports/chart-files.js';
import { detectChartFileFormat } from './detect.js';
import { readChartFile } from './read-chart-file.js';

/** The chart-file readers as the application uses them (the ChartFiles port). */
export const chartFiles: ChartFiles = {
  detect: detectChartFileFormat,
  read: (path, hints) => readChartFile(path, hints),
};
