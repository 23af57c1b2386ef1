import { EMULATOR_PLAYLISTS, startEmulator } from '../emulator/emulator.js';

/**
 * Documents as the original Airflow DAG inserted them into spotify.currency_collection: the raw
 * JSON of one `GET /v1/playlists/{id}/tracks` page, plus the run's `datetime` as Python's
 * str(datetime.now()) wrote it. Made from the emulator's reply for each date, with its links
 * rewritten to api.spotify.com as the real API returned them.
 */
export async function legacyDocuments(
  dates: readonly string[],
  playlist: string = EMULATOR_PLAYLISTS.daily,
): Promise<Record<string, unknown>[]> {
  let today = dates[0] ?? '2024-11-20';
  const emulator = await startEmulator({ today: () => today });
  try {
    const { clientId, clientSecret } = emulator.credentials;
    const tokenReply = await fetch(`${emulator.accountsUrl}/api/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    const { access_token: token } = (await tokenReply.json()) as { access_token: string };
    const documents = [];
    for (const date of dates) {
      today = date;
      const reply = await fetch(`${emulator.apiUrl}/playlists/${playlist}/tracks`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const text = (await reply.text()).replaceAll(emulator.url, 'https://api.spotify.com');
      documents.push({ ...JSON.parse(text), datetime: `${date} 10:15:03.123456` });
    }
    return documents;
  } finally {
    await emulator.close();
  }
}
