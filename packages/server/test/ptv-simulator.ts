import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A PTV v11 service in the shape of the Open API (only the fields the import reads, plus some it keeps raw). */
export function ptvService(id: string, names: Record<string, string>, opts: { description?: Record<string, string>; classes?: { code: string; uri: string; name: Record<string, string> }[]; modified?: string } = {}) {
  return {
    id,
    type: 'Service',
    serviceNames: Object.entries(names).map(([language, value]) => ({ type: 'Name', language, value })),
    serviceDescriptions: Object.entries(opts.description ?? {}).map(([language, value]) => ({ type: 'Summary', language, value })),
    serviceClasses: (opts.classes ?? []).map((c) => ({
      name: Object.entries(c.name).map(([language, value]) => ({ language, value })),
      code: c.code, ontologyType: 'PTVL', uri: c.uri, parentUri: null,
    })),
    ontologyTerms: [], targetGroups: [], lifeEvents: [],
    areaType: 'LimitedType',
    areas: [{ type: 'Municipality', code: '753', municipalities: [{ code: '753', name: [{ language: 'fi', value: 'Sipoo' }] }] }],
    serviceChannels: [], organizations: [], languages: Object.keys(names), requirements: [],
    publishingStatus: 'Published',
    modified: opts.modified ?? '2026-10-01T08:00:00Z',
  };
}

/** Splits services into PTV list pages of `pageSize`, numbered from 1. */
export function ptvPages(items: unknown[], pageSize: number) {
  const pageCount = Math.max(1, Math.ceil(items.length / pageSize));
  return Array.from({ length: pageCount }, (_, i) => ({ pageNumber: i + 1, pageSize, pageCount, itemList: items.slice(i * pageSize, (i + 1) * pageSize) }));
}

export interface PtvSimulator {
  url: string;
  /** Requests seen, as path + query. */
  requests: string[];
  close(): Promise<void>;
}

/** A real HTTP server on 127.0.0.1 answering `GET /Service/list/area/Municipality/code/{code}?page=N` like PTV v11. */
export async function startPtvSimulator(servicesByMunicipality: Record<string, unknown[]>, pageSize = 2): Promise<PtvSimulator> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    requests.push(url.pathname + url.search);
    const m = /^\/Service\/list\/area\/Municipality\/code\/([0-9]{3})$/.exec(url.pathname);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(body));
    };
    if (req.method !== 'GET' || !m) return send(404, { errorMessage: 'Not found' });
    const pages = ptvPages(servicesByMunicipality[m[1]!] ?? [], pageSize);
    const n = Number(url.searchParams.get('page') ?? '1');
    const page = pages[n - 1];
    if (!page) return send(404, { errorMessage: `Page ${n} not found` });
    return send(200, page);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
