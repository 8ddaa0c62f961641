/**
 * A local print service for the paper channel's protocol (see notifications/channels/paper.ts):
 * `POST /v1/print-jobs` multipart (`file` PDF + `metadata` JSON) → 201 `{ jobId }`, a repeated
 * externalId → 409 `{ jobId }` of the earlier job. Keeps the PDFs; `GET /_simulator/jobs/{jobId}/pdf`
 * serves one.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DeliveryLog, isObject, readMultipart, sendJson, startHttpSimulator, type HttpSimulatorBase } from './http.js';

export interface PrintServiceSimulatorOptions {
  port?: number;
  /** When set, requests must carry `Authorization: Bearer <token>`. */
  token?: string;
}

export interface SimulatedPrintJob {
  jobId: string;
  externalId: string;
  municipality: string | null;
  recipientName: string;
  language: string;
  subject: string;
  pdf: Buffer;
  at: string;
}

export interface PrintServiceSimulator extends HttpSimulatorBase {
  jobs(): SimulatedPrintJob[];
}

const MAX_PDF = 10 * 1024 * 1024;

export async function startPrintServiceSimulator(opts: PrintServiceSimulatorOptions = {}): Promise<PrintServiceSimulator> {
  const log = new DeliveryLog();
  const jobs: SimulatedPrintJob[] = [];
  const byExternalId = new Map<string, string>();

  const handler = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    const pdfPath = /^\/_simulator\/jobs\/([^/]+)\/pdf$/.exec(url.pathname);
    if (req.method === 'GET' && pdfPath) {
      const job = jobs.find((j) => j.jobId === decodeURIComponent(pdfPath[1]!));
      if (!job) return sendJson(res, 404, { reason: 'No such job' });
      res.writeHead(200, { 'content-type': 'application/pdf', 'content-length': job.pdf.length });
      return res.end(job.pdf);
    }
    if (url.pathname !== '/v1/print-jobs') return sendJson(res, 404, { reason: 'Not found' });
    if (req.method !== 'POST') return sendJson(res, 405, { reason: 'Method not allowed' });
    if (opts.token && req.headers.authorization !== `Bearer ${opts.token}`) {
      req.resume();
      return sendJson(res, 401, { reason: 'Unauthorized' });
    }
    const form = await readMultipart(req, MAX_PDF + 1024 * 1024);
    const file = form.get('file');
    const metaText = form.get('metadata');
    let meta: unknown = null;
    try {
      meta = typeof metaText === 'string' ? JSON.parse(metaText) : metaText instanceof Blob ? JSON.parse(await metaText.text()) : null;
    } catch {
      meta = null;
    }
    if (!isObject(meta)) return sendJson(res, 400, { reason: 'metadata: a JSON object is required' });
    const { externalId, municipality, recipientName, language, subject } = meta;
    const problems: string[] = [];
    if (typeof externalId !== 'string' || externalId.length < 1 || externalId.length > 256) problems.push('externalId');
    if (municipality !== null && typeof municipality !== 'string') problems.push('municipality');
    if (typeof recipientName !== 'string' || !recipientName.trim()) problems.push('recipientName');
    if (typeof language !== 'string') problems.push('language');
    if (typeof subject !== 'string') problems.push('subject');
    if (problems.length) return sendJson(res, 400, { reason: `metadata: invalid ${problems.join(', ')}` });
    if (!(file instanceof Blob)) return sendJson(res, 400, { reason: 'file is required' });
    if (file.size > MAX_PDF) return sendJson(res, 413, { reason: 'File larger than 10 MiB' });
    const pdf = Buffer.from(await file.arrayBuffer());
    if (file.type !== 'application/pdf' || pdf.subarray(0, 5).toString('latin1') !== '%PDF-') return sendJson(res, 415, { reason: 'Only PDF' });

    const earlier = byExternalId.get(externalId as string);
    if (earlier !== undefined) {
      log.seen(externalId as string);
      return sendJson(res, 409, { jobId: earlier, reason: 'A job with this externalId exists' });
    }
    log.seen(externalId as string);
    const job: SimulatedPrintJob = {
      jobId: randomUUID(),
      externalId: externalId as string,
      municipality: (municipality as string | null) ?? null,
      recipientName: recipientName as string,
      language: language as string,
      subject: subject as string,
      pdf,
      at: new Date().toISOString(),
    };
    byExternalId.set(job.externalId, job.jobId);
    jobs.unshift(job);
    log.add({ channel: 'paper', to: job.recipientName, subject: job.subject, language: job.language, at: job.at, messageId: job.jobId, key: job.externalId });
    return sendJson(res, 201, { jobId: job.jobId });
  };

  const base = await startHttpSimulator(opts.port ?? 0, log, handler);
  return { ...base, jobs: () => [...jobs] };
}
