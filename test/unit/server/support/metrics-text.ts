import { get as httpGet, type IncomingMessage } from 'node:http';
import { get as httpsGet } from 'node:https';

/** A GET over http:// or https:// (`ca`: what a test certificate needs), with its status and text. */
export function getText(url: string, ca?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const onResponse = (response: IncomingMessage) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    };
    const request = url.startsWith('https:') ? httpsGet(url, { ca }, onResponse) : httpGet(url, onResponse);
    request.on('error', reject);
  });
}

/** One series' value in the gateway's /metrics text (e.g. 'x_total{a="b"}'); undefined when absent. */
export async function metricValue(httpUrl: string, series: string, ca?: string): Promise<number | undefined> {
  const { body } = await getText(`${httpUrl}/metrics`, ca);
  const line = body.split('\n').find((entry) => entry.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}
