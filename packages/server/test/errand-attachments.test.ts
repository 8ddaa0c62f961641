import { createHash, randomBytes } from 'node:crypto';
import { pdfText } from './pdf-text.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDENTITY_CODE_IN_TEXT } from '@puolesta/domain';
import { FORMS } from '../src/forms/forms.js';
import { errandHash } from '../src/services/errands.service.js';
import { P, startTestApp, type SessionHeaders, type TestApp } from './helpers.js';

/**
 * Errand attachments and the PDF summary through the API: what is taken (by content, within the
 * limits), who may add, remove and download, that a file changes the errand like an edit does,
 * and that the summary shows the errand by names only.
 */
const MAX = 4096;
let t: TestApp;
beforeAll(async () => { t = await startTestApp({ config: { attachmentMaxBytes: MAX } }); });
afterAll(async () => { await t?.stop(); });

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

// ---- files ----------------------------------------------------------------------------------------

const pdfBytes = (text = 'Pohjapiirros') => Buffer.from(`%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Title (${text}) >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n`, 'latin1');
function pngBytes(): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(1, 0); ihdr.writeUInt32BE(1, 4); ihdr[8] = 8; ihdr[9] = 2;
  const len = Buffer.alloc(4); len.writeUInt32BE(13);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), len, Buffer.from('IHDR'), ihdr, Buffer.alloc(4)]);
}
/** A Windows program's first bytes ("MZ", the DOS stub's NULs): not a PDF, whatever it is called. */
const exeBytes = () => Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00', 'latin1'), randomBytes(200)]);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function multipart(file: { name: string; type: string; bytes: Buffer }, field = 'file') {
  const boundary = `----puolesta${randomBytes(8).toString('hex')}`;
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`;
  return {
    payload: Buffer.concat([Buffer.from(head, 'utf8'), file.bytes, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

// ---- people ---------------------------------------------------------------------------------------

async function as(who: { person: string } | { staff: string }) {
  const headers: SessionHeaders = await t.as(who);
  const call = async (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) => {
    const r = await t.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
    return { status: r.statusCode, body: (r.body && r.headers['content-type']?.toString().includes('json') ? r.json() : {}) as Json };
  };
  return {
    headers,
    get: (url: string) => call('GET', url),
    post: (url: string, payload: object = {}) => call('POST', url, payload),
    put: (url: string, payload: object) => call('PUT', url, payload),
    del: (url: string) => call('DELETE', url),
    raw: (url: string) => t.app.inject({ method: 'GET', url, headers }),
    upload: async (id: string, file: { name: string; type: string; bytes: Buffer }, field?: string) => {
      const m = multipart(file, field);
      const r = await t.app.inject({ method: 'POST', url: `/api/v1/errands/${id}/attachments`, headers: { ...headers, ...m.headers }, payload: m.payload });
      return { status: r.statusCode, body: r.json() as Json };
    },
  };
}
const example = (service: string) => structuredClone((FORMS[service] as unknown as { examples: unknown[] }).examples[0]) as Json;

/** A building permit for the Parainen cottage (three owners: Petra applies, Mikael and Kari sign). */
async function cottagePermit() {
  const petra = await as({ person: P.petra });
  const r = await petra.post('/api/v1/errands', { municipality: '445', service: 'building-permit', subject: { type: 'property', id: '445-403-1-77' }, data: example('building-permit') });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return { petra, id: r.body.id as string, ref: r.body.ref as string };
}

describe('uploads: type by content, size and count within the limits', () => {
  it('takes a PDF and a PNG (by their magic bytes), lists them in upload order, and downloads identical bytes', async () => {
    const { petra, id } = await cottagePermit();
    const before = (await petra.get(`/api/v1/errands/${id}`)).body;
    expect(before.attachments).toEqual([]);
    expect(before.permittedActions).toContain('attach');

    const pdf = pdfBytes();
    const a = await petra.upload(id, { name: 'Pohjapiirros – Kartanontie åäö.pdf', type: 'application/pdf', bytes: pdf });
    expect(a.status, JSON.stringify(a.body)).toBe(201);
    expect(a.body).toMatchObject({ name: 'Pohjapiirros – Kartanontie åäö.pdf', contentType: 'application/pdf', size: pdf.length, sha256: sha(pdf), version: before.version + 1 });
    // Declared as something else: the content decides.
    const png = pngBytes();
    const b = await petra.upload(id, { name: 'julkisivu.png', type: 'application/octet-stream', bytes: png });
    expect(b.status, JSON.stringify(b.body)).toBe(201);
    expect(b.body.contentType).toBe('image/png');

    const view = (await petra.get(`/api/v1/errands/${id}`)).body;
    expect(view.attachments.map((x: Json) => [x.name, x.contentType, x.size, x.sha256])).toEqual([
      ['Pohjapiirros – Kartanontie åäö.pdf', 'application/pdf', pdf.length, sha(pdf)],
      ['julkisivu.png', 'image/png', png.length, sha(png)],
    ]);
    // The version's hash covers the files' digests, in the order they were added.
    expect(view.version).toBe(before.version + 2);
    const refs = view.parties.map((p: Json) => ({ type: p.type, id: p.id }));
    expect(view.hash).toBe(errandHash({ municipality: '445', service: 'building-permit', subject: { type: 'property', id: '445-403-1-77' }, data: view.data, parties: refs, attachments: [sha(pdf), sha(png)] }));
    expect(view.hash).not.toBe(errandHash({ municipality: '445', service: 'building-permit', subject: { type: 'property', id: '445-403-1-77' }, data: view.data, parties: refs, attachments: [sha(png), sha(pdf)] }));

    const got = await petra.raw(`/api/v1/errands/${id}/attachments/${a.body.id}`);
    expect(got.statusCode).toBe(200);
    expect(got.rawPayload.equals(pdf)).toBe(true);
    expect(sha(got.rawPayload)).toBe(a.body.sha256);
    expect(got.headers['content-type']).toBe('application/pdf');
    expect(got.headers['x-content-type-options']).toBe('nosniff');
    expect(got.headers['cache-control']).toBe('no-store');
    expect(got.headers['content-disposition']).toBe(
      `attachment; filename="Pohjapiirros _ Kartanontie aao.pdf"; filename*=UTF-8''${encodeURIComponent('Pohjapiirros – Kartanontie åäö.pdf')}`,
    );
  });

  it('refuses a program declared as application/pdf, a file over the limit, and the eleventh file; a refusal stores nothing', async () => {
    const { petra, id } = await cottagePermit();
    const exe = await petra.upload(id, { name: 'lasku.pdf', type: 'application/pdf', bytes: exeBytes() });
    expect(exe.status).toBe(400);
    expect(exe.body).toMatchObject({ code: 'attachment.type-not-allowed', field: 'file' });

    const big = await petra.upload(id, { name: 'iso.txt', type: 'text/plain', bytes: Buffer.alloc(MAX + 1, 'a') });
    expect(big.status).toBe(400);
    expect(big.body).toMatchObject({ code: 'attachment.too-large', params: { maxBytes: MAX }, field: 'file' });
    // Exactly at the limit is fine.
    expect((await petra.upload(id, { name: 'raja.txt', type: 'text/plain', bytes: Buffer.alloc(MAX, 'a') })).status).toBe(201);

    for (let i = 2; i <= 10; i++) {
      const r = await petra.upload(id, { name: `liite-${i}.txt`, type: 'text/plain', bytes: Buffer.from(`Liite ${i}: selvitys\n`) });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
    }
    const eleventh = await petra.upload(id, { name: 'liite-11.txt', type: 'text/plain', bytes: Buffer.from('Liite 11\n') });
    expect(eleventh.status).toBe(400);
    expect(eleventh.body).toMatchObject({ code: 'attachment.too-many', params: { max: 10 } });
    const rows = await t.ctx.db.selectFrom('errand_attachments').select(['name']).where('errand_id', '=', id).execute();
    expect(rows).toHaveLength(10);
    expect(rows.map((r) => r.name)).not.toContain('liite-11.txt');
    expect(rows.map((r) => r.name)).not.toContain('lasku.pdf');
  });

  it('refuses a request without the file field, and keeps identity codes out of the names', async () => {
    const { petra, id } = await cottagePermit();
    const wrongField = await petra.upload(id, { name: 'a.txt', type: 'text/plain', bytes: Buffer.from('a') }, 'document');
    expect(wrongField.status).toBe(400);
    expect(wrongField.body).toMatchObject({ code: 'input.required', field: 'file' });
    const json = await petra.post(`/api/v1/errands/${id}/attachments`, { file: 'x' });
    expect(json.status).toBe(400);
    expect(json.body).toMatchObject({ code: 'input.required', field: 'file' });
    const named = await petra.upload(id, { name: `valtakirja ${P.mikael}.pdf`, type: 'application/pdf', bytes: pdfBytes('Valtakirja') });
    expect(named.status).toBe(201);
    expect(named.body.name).toBe('valtakirja xxxxxx-xxxx.pdf');
    const events = await t.ctx.db.selectFrom('domain_events').select(['payload']).where('errand_id', '=', id).execute();
    expect(JSON.stringify(events)).not.toContain(P.mikael);
  });

  it('other routes keep the app\'s body limit', async () => {
    const { petra, id } = await cottagePermit();
    const r = await t.app.inject({ method: 'PUT', url: `/api/v1/errands/${id}`, headers: { ...petra.headers, 'content-type': 'application/json' }, payload: JSON.stringify({ data: { description: 'x'.repeat(300 * 1024) } }) });
    expect(r.statusCode).toBe(413);
    expect(r.json()).toMatchObject({ code: 'input.too-large' });
  });
});

describe('who may add, remove and download', () => {
  it('a party downloads but may not upload or remove; a stranger sees no such errand or file', async () => {
    const { petra, id } = await cottagePermit();
    const pdf = pdfBytes('Asemapiirros');
    const a = (await petra.upload(id, { name: 'asemapiirros.pdf', type: 'application/pdf', bytes: pdf })).body;
    expect((await petra.post(`/api/v1/errands/${id}/submit`)).body.status).toBe('awaiting-signatures');

    const mikael = await as({ person: P.mikael });
    const seen = (await mikael.get(`/api/v1/errands/${id}`)).body;
    expect(seen.attachments.map((x: Json) => x.id)).toEqual([a.id]);
    expect(seen.permittedActions).not.toContain('attach');
    const got = await mikael.raw(`/api/v1/errands/${id}/attachments/${a.id}`);
    expect(got.statusCode).toBe(200);
    expect(got.rawPayload.equals(pdf)).toBe(true);
    const up = await mikael.upload(id, { name: 'oma.pdf', type: 'application/pdf', bytes: pdfBytes('Oma') });
    expect(up.status).toBe(403);
    expect(up.body.code).toBe('errand.not-applicant');
    expect((await mikael.del(`/api/v1/errands/${id}/attachments/${a.id}`)).status).toBe(403);

    const stranger = await as({ person: P.stranger });
    const hidden = await stranger.raw(`/api/v1/errands/${id}/attachments/${a.id}`);
    expect(hidden.statusCode).toBe(404);
    expect(hidden.json().code).toBe('errand.not-found');
    expect((await stranger.upload(id, { name: 'x.pdf', type: 'application/pdf', bytes: pdfBytes() })).status).toBe(404);
    // A caseworker of the municipality reads it too.
    expect((await (await as({ staff: 'caseworker-445' })).raw(`/api/v1/errands/${id}/attachments/${a.id}`)).statusCode).toBe(200);
    // A file of another errand is not this errand's.
    const other = await cottagePermit();
    expect((await petra.raw(`/api/v1/errands/${other.id}/attachments/${a.id}`)).json().code).toBe('attachment.not-found');
  });

  it('an upload after a party signed voids the signature: a new version and hash, the party asked again', async () => {
    const { petra, id } = await cottagePermit();
    await petra.post(`/api/v1/errands/${id}/submit`);
    const mikael = await as({ person: P.mikael });
    const v1 = (await mikael.get(`/api/v1/errands/${id}`)).body;
    expect((await mikael.post(`/api/v1/errands/${id}/responses`, { response: 'sign', hash: v1.hash })).body.status).toBe('awaiting-signatures');
    const answers = (v: Json) => Object.fromEntries(v.parties.map((p: Json) => [p.id, p.response]));
    expect(answers((await petra.get(`/api/v1/errands/${id}`)).body)).toEqual({ [P.petra]: 'signed', [P.mikael]: 'signed', [P.kari]: 'pending' });

    const added = await petra.upload(id, { name: 'lisäselvitys.txt', type: 'text/plain', bytes: Buffer.from('Lisäselvitys: kuisti on 12 m².\n') });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    const v2 = (await petra.get(`/api/v1/errands/${id}`)).body;
    expect(v2.version).toBe(v1.version + 1);
    expect(v2.hash).not.toBe(v1.hash);
    expect(v2.hash).toBe(added.body.hash);
    // Petra's own signature is given again with the change; Mikael's is void and he is asked again.
    expect(answers(v2)).toEqual({ [P.petra]: 'signed', [P.mikael]: 'pending', [P.kari]: 'pending' });
    const stale = await mikael.post(`/api/v1/errands/${id}/responses`, { response: 'sign', hash: v1.hash });
    expect(stale.body.code).toBe('errand.version-changed');
    const events = await t.ctx.db.selectFrom('domain_events').select(['payload']).where('errand_id', '=', id).orderBy('id').execute();
    const types = events.map((e) => (e.payload as Json).type);
    expect(types.slice(-2)).toEqual(['errand.attachment-added', 'errand.parties-asked']);
    expect(events.at(-2)!.payload).toMatchObject({ version: v2.version, signaturesVoided: true, sha256: added.body.sha256 });
    expect(events.at(-1)!.payload).toMatchObject({ again: true, persons: expect.arrayContaining([P.mikael, P.kari]) });
  });

  it('removing takes a file off the errand (a new version), but the database keeps it', async () => {
    const { petra, id } = await cottagePermit();
    const first = (await petra.upload(id, { name: 'eka.txt', type: 'text/plain', bytes: Buffer.from('eka\n') })).body;
    const second = (await petra.upload(id, { name: 'toka.txt', type: 'text/plain', bytes: Buffer.from('toka\n') })).body;
    const removed = await petra.del(`/api/v1/errands/${id}/attachments/${first.id}`);
    expect(removed.status, JSON.stringify(removed.body)).toBe(200);
    expect(removed.body.version).toBe(second.version + 1);
    const view = (await petra.get(`/api/v1/errands/${id}`)).body;
    expect(view.attachments.map((x: Json) => x.id)).toEqual([second.id]);
    expect(view.hash).toBe(removed.body.hash);
    expect((await petra.raw(`/api/v1/errands/${id}/attachments/${first.id}`)).json().code).toBe('attachment.not-found');
    expect((await petra.del(`/api/v1/errands/${id}/attachments/${first.id}`)).body.code).toBe('attachment.not-found');
    const kept = await t.ctx.db.selectFrom('errand_attachments').select(['content', 'removed_at']).where('id', '=', first.id).executeTakeFirstOrThrow();
    expect(Buffer.from(kept.content).toString()).toBe('eka\n');
    expect(kept.removed_at).not.toBeNull();
  });

  it('a decided errand takes no more files', async () => {
    const elias = await as({ person: P.elias });
    const id = (await elias.post('/api/v1/errands', { municipality: '753', service: 'waste-interval', subject: { type: 'property', id: '753-401-3-45' }, data: example('waste-interval') })).body.id as string;
    expect((await elias.post(`/api/v1/errands/${id}/submit`, { attest: true })).body.status).toBe('submitted');
    const r = await elias.upload(id, { name: 'myöhässä.txt', type: 'text/plain', bytes: Buffer.from('myöhässä\n') });
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ code: 'errand.wrong-status', params: { status: 'submitted' } });
  });
});

describe('the PDF summary', () => {
  it('is for a sent errand: a PDF with its reference, the parties by name and no identity code; Swedish on request', async () => {
    const { petra, id, ref } = await cottagePermit();
    const draft = await petra.raw(`/api/v1/errands/${id}/summary.pdf`);
    expect(draft.statusCode).toBe(409);
    expect(draft.json()).toMatchObject({ code: 'errand.wrong-status' });
    expect((await petra.get(`/api/v1/errands/${id}`)).body.permittedActions).not.toContain('download-summary');

    const pdf = pdfBytes('Pohjapiirros');
    await petra.upload(id, { name: 'pohjapiirros.pdf', type: 'application/pdf', bytes: pdf });
    await petra.post(`/api/v1/errands/${id}/submit`);
    const view = (await petra.get(`/api/v1/errands/${id}`)).body;
    expect(view.permittedActions).toContain('download-summary');

    const r = await petra.raw(`/api/v1/errands/${id}/summary.pdf?lang=fi`);
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('application/pdf');
    expect(r.headers['content-disposition']).toBe(`attachment; filename="${ref}.pdf"`);
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = pdfText(r.rawPayload);
    expect(text).toContain(ref);
    expect(text).toContain('Asioinnin yhteenveto');
    expect(text).toContain('Strandvägen 21, 21600 Pargas');
    for (const name of ['Petra', 'Mikael', 'Kari']) expect(text).toContain(name);
    expect(text).toContain('pohjapiirros.pdf');
    expect(text).toContain(sha(pdf));
    expect(text).toContain(view.hash);
    for (const code of [P.petra, P.mikael, P.kari]) {
      expect(text).not.toContain(code);
      expect(r.rawPayload.toString('latin1')).not.toContain(code);
    }
    expect(text).not.toMatch(new RegExp(IDENTITY_CODE_IN_TEXT.source, 'iu'));

    // Petra's language is Swedish: her summary is, unless she asks otherwise.
    const sv = pdfText((await petra.raw(`/api/v1/errands/${id}/summary.pdf`)).rawPayload);
    expect(sv).toContain('Sammandrag av ärendet');
    expect(sv).toContain('Ärendenummer');
    expect(sv).toContain(ref);
  });

  it('a party and a caseworker get it too, in the caller\'s own language unless one is asked for; a stranger does not', async () => {
    const { petra, id, ref } = await cottagePermit();
    await petra.post(`/api/v1/errands/${id}/submit`);
    const kari = await as({ person: P.kari });
    // Kari reads Finnish (the register), until he chooses Swedish.
    expect(pdfText((await kari.raw(`/api/v1/errands/${id}/summary.pdf`)).rawPayload)).toContain('Asioinnin yhteenveto');
    const settings = await t.app.inject({ method: 'PUT', url: '/api/v1/me/settings', headers: kari.headers, payload: { preferredChannel: 'email', email: 'kari@example.fi', language: 'sv' } });
    expect(settings.statusCode, settings.body).toBe(200);
    const his = await kari.raw(`/api/v1/errands/${id}/summary.pdf`);
    expect(his.statusCode).toBe(200);
    expect(pdfText(his.rawPayload)).toContain('Sammandrag av ärendet');
    const cw = await (await as({ staff: 'caseworker-445' })).raw(`/api/v1/errands/${id}/summary.pdf?lang=en`);
    expect(cw.statusCode).toBe(200);
    const en = pdfText(cw.rawPayload);
    expect(en).toContain('Errand summary');
    expect(en).toContain(ref);
    const stranger = await (await as({ person: P.stranger })).raw(`/api/v1/errands/${id}/summary.pdf`);
    expect(stranger.statusCode).toBe(404);
    expect((await kari.raw(`/api/v1/errands/${id}/summary.pdf?lang=de`)).statusCode).toBe(400);
  });

  it('shows the form\'s data under the form\'s titles, and the decision', async () => {
    const elias = await as({ person: P.elias });
    const data = example('waste-interval');
    const id = (await elias.post('/api/v1/errands', { municipality: '753', service: 'waste-interval', subject: { type: 'property', id: '753-401-3-45' }, data })).body.id as string;
    await elias.post(`/api/v1/errands/${id}/submit`, { attest: true });
    const cw = await as({ staff: 'caseworker-753' });
    expect((await cw.post(`/api/v1/errands/${id}/decision`, { outcome: 'approved', text: 'Tyhjennysväli muutetaan 1.1.2027 alkaen.' })).status).toBe(200);
    const summary = await elias.raw(`/api/v1/errands/${id}/summary.pdf?lang=fi`);
    expect(summary.statusCode, summary.body).toBe(200);
    const text = pdfText(summary.rawPayload);
    const form = FORMS['waste-interval']!;
    const [key, field] = Object.entries(form.properties).find(([k]) => data[k] !== undefined)!;
    expect(text).toContain(field['x-title'].fi);
    if ('enum' in field && field.enum && field['x-enum-titles']) expect(text).toContain(field['x-enum-titles'].fi[(field.enum as readonly unknown[]).indexOf(data[key])]!);
    expect(text).toContain('Päätös');
    expect(text).toContain('Myönteinen');
    expect(text).toContain('Tyhjennysväli muutetaan 1.1.2027 alkaen.');
    expect(text).not.toContain(P.elias);
  });
});
