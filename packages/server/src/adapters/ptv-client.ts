import { refuse } from '@puolesta/domain';
import { createGuardedFetch, OutboundFetchError, type GuardedFetch, type GuardedResponse } from './guarded-fetch.js';

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
  /** The server's guarded client (allow-list on every redirect, public addresses, size and time limits); default: one allowing only `baseUrl`. */
  fetch?: GuardedFetch;
  /** A safety stop: PTV serves 100 services a page, so a municipality fits in far fewer. */
  maxPages?: number;
}

const isInt = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 0;

/**
 * Reads the national Service Catalogue (PTV) Open API v11, or anything serving the same shape
 * (the real one is https://api.palvelutietovaranto.suomi.fi/api/v11/; tests run a local simulator).
 * Read needs no authentication. Failures are validation errors on `source`, naming the page. Every
 * failure to get an answer (refused address or redirect, closed port, timeout, too large a body) is
 * the same `ptv.fetch-failed`: the reason is in the server log only.
 */
export function createPtvClient(baseUrl: string, opts: PtvClientOptions = {}): PtvClient {
  let base: URL;
  try {
    base = new URL(baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  } catch {
    throw refuse('ptv.source-not-url', {}, 'source');
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') throw refuse('ptv.source-not-url', {}, 'source');
  const doFetch = opts.fetch ?? createGuardedFetch({ allow: [base.href] });
  const maxPages = opts.maxPages ?? 200;

  async function page(code: string, n: number): Promise<PtvPage> {
    const url = new URL(`Service/list/area/Municipality/code/${encodeURIComponent(code)}`, base);
    url.searchParams.set('page', String(n));
    let res: GuardedResponse;
    try {
      res = await doFetch(url, { headers: { accept: 'application/json' } });
    } catch (e) {
      if (!(e instanceof OutboundFetchError)) throw e;
      throw refuse('ptv.fetch-failed', { page: n, origin: url.origin }, 'source');
    }
    if (res.status < 200 || res.status > 299) throw refuse('ptv.fetch-status', { page: n, origin: url.origin, status: res.status }, 'source');
    let body: unknown;
    try {
      body = res.json();
    } catch {
      throw refuse('ptv.page-not-json', { page: n, origin: url.origin }, 'source');
    }
    const p = body as Partial<PtvPage> | null;
    if (!p || typeof p !== 'object' || !isInt(p.pageNumber) || !isInt(p.pageCount) || !Array.isArray(p.itemList)) {
      throw refuse('ptv.page-not-list', { page: n, origin: url.origin }, 'source');
    }
    return { pageNumber: p.pageNumber, pageSize: isInt(p.pageSize) ? p.pageSize : p.itemList.length, pageCount: p.pageCount, itemList: p.itemList };
  }

  return {
    async servicesOfMunicipality(code) {
      const pages: PtvPage[] = [];
      for (let n = 1; ; n++) {
        if (n > maxPages) throw refuse('ptv.too-many-pages', { maxPages }, 'source');
        const p = await page(code, n);
        pages.push(p);
        if (p.itemList.length === 0 || p.pageNumber >= p.pageCount) return pages;
      }
    },
  };
}
