import { invalid } from '@puolesta/domain';

/** One page of a PTV Open API v11 list: `{ pageNumber, pageSize, pageCount, itemList }`. */
export interface PtvPage {
  pageNumber: number;
  pageSize: number;
  pageCount: number;
  itemList: unknown[];
}

export interface PtvClient {
  /** Every service of a municipality, page by page (`Service/list/area/Municipality/code/{code}?page=N`). */
  servicesOfMunicipality(code: string): Promise<PtvPage[]>;
}

export interface PtvClientOptions {
  fetch?: typeof fetch;
  timeoutMs?: number;
  /** A safety stop: PTV serves 100 services a page, so a municipality fits in far fewer. */
  maxPages?: number;
}

const isInt = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 0;

/**
 * Reads the national Service Catalogue (PTV) Open API v11, or anything serving the same shape
 * (the real one is https://api.palvelutietovaranto.suomi.fi/api/v11/; tests run a local simulator).
 * Read needs no authentication. Failures are validation errors on `source`, naming the page.
 */
export function createPtvClient(baseUrl: string, opts: PtvClientOptions = {}): PtvClient {
  let base: URL;
  try {
    base = new URL(baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  } catch {
    throw invalid('source', 'source must be an absolute http(s) URL.');
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') throw invalid('source', 'source must be an absolute http(s) URL.');
  const doFetch = opts.fetch ?? fetch;
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const maxPages = opts.maxPages ?? 200;

  async function page(code: string, n: number): Promise<PtvPage> {
    const url = new URL(`Service/list/area/Municipality/code/${encodeURIComponent(code)}`, base);
    url.searchParams.set('page', String(n));
    let res: Response;
    try {
      res = await doFetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(timeoutMs) });
    } catch (e) {
      throw invalid('source', `Could not fetch page ${n} from ${url.origin}: ${(e as Error).message}.`);
    }
    if (!res.ok) throw invalid('source', `${url.origin} answered ${res.status} to page ${n}.`);
    let body: unknown;
    try {
      body = await res.json();
    } catch {
      throw invalid('source', `Page ${n} from ${url.origin} is not JSON.`);
    }
    const p = body as Partial<PtvPage> | null;
    if (!p || typeof p !== 'object' || !isInt(p.pageNumber) || !isInt(p.pageCount) || !Array.isArray(p.itemList)) {
      throw invalid('source', `Page ${n} from ${url.origin} is not a PTV list page ({ pageNumber, pageSize, pageCount, itemList }).`);
    }
    return { pageNumber: p.pageNumber, pageSize: isInt(p.pageSize) ? p.pageSize : p.itemList.length, pageCount: p.pageCount, itemList: p.itemList };
  }

  return {
    async servicesOfMunicipality(code) {
      const pages: PtvPage[] = [];
      for (let n = 1; ; n++) {
        if (n > maxPages) throw invalid('source', `More than ${maxPages} pages: stopped.`);
        const p = await page(code, n);
        pages.push(p);
        if (p.itemList.length === 0 || p.pageNumber >= p.pageCount) return pages;
      }
    },
  };
}
