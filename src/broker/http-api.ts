// The broker's optional JSON API over HTTP (node:http):
//   POST /call      {"execute": "...", "arguments": {...}} -> the reply object, without id
//   GET  /commands  the shipped schema's commands merged with what the agent reports
//   GET  /health    session state, agent version, clients attached
// Requests over HTTP take their turn with the socket clients. The API listens on loopback
// by default; any other address needs a token, and a token once set is always checked
// (Authorization: Bearer TOKEN).
import { createHash, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import { ConnectionError, TimeoutError, UsageError } from '../protocol/errors.js';
import { isJsonObject, parseJson, stringifyJson, type JsonObject, type JsonValue } from '../protocol/json.js';
import type { Broker } from './broker.js';
import type { Delivery } from './lane.js';

export interface HttpBind {
  host: string;
  port: number;
}

const MAX_BODY_BYTES = 64 * 1024 * 1024;

/** Parses --http: HOST:PORT, [V6]:PORT, :PORT or PORT (the last two on 127.0.0.1). */
export function parseHttpBind(text: string): HttpBind {
  const match = /^(?:(?:\[([^\]]+)\]|([^:[\]]*)):)?(\d{1,5})$/.exec(text);
  const port = match ? Number(match[3]) : NaN;
  if (!match || port > 65535) {
    throw new UsageError(`--http takes HOST:PORT, not "${text}"`, { hint: 'For example --http 127.0.0.1:8377, or --http 8377 for loopback.' });
  }
  const host = match[1] ?? match[2] ?? '';
  return { host: host === '' ? '127.0.0.1' : host, port };
}

export function isLoopback(host: string): boolean {
  const h = host.toLowerCase();
  if (h === 'localhost' || h === '::1') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice(7) : h;
  return net.isIPv4(v4) && v4.startsWith('127.');
}

/** Refuses, before anything is bound, to serve beyond loopback without a token. */
export function checkHttpBind(bind: HttpBind, token: string | undefined): void {
  if (isLoopback(bind.host) || token) return;
  throw new UsageError(`--http ${bind.host}:${bind.port} is reachable from other machines, and no token is set`, {
    hint: 'Anyone who reaches the API can run any command in the guest. Give --token TOKEN (or set ' +
      'QEMU_HOST_TOKEN), or bind to 127.0.0.1.',
  });
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

function authorized(req: http.IncomingMessage, token: string | undefined): boolean {
  if (!token) return true;
  const header = req.headers.authorization ?? '';
  const match = /^Bearer\s+(.+)$/i.exec(header);
  return match !== null && timingSafeEqual(digest(match[1]!.trim()), digest(token));
}

function send(res: http.ServerResponse, status: number, body: JsonValue, headers: Record<string, string> = {}): void {
  const text = `${stringifyJson(body)}\n`;
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function fail(res: http.ServerResponse, status: number, desc: string, headers: Record<string, string> = {}): void {
  send(res, status, { error: { class: 'GenericError', desc } }, headers);
}

function readBody(req: http.IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        resolve(undefined);
        req.destroy();
        return;
      }
      parts.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(parts)));
    req.on('error', reject);
  });
}

/** Runs one request through the broker as a one-off client and waits for its outcome. */
function callThrough(broker: Broker, request: JsonObject, label: string): Promise<Delivery> {
  return new Promise((resolve) => {
    const lane = broker.openLane((id) => `http ${id} (${label})`, {
      deliver(delivery) {
        broker.closeLane(lane, { socketClient: false });
        resolve(delivery);
      },
    }, { socketClient: false });
    broker.submit(lane, request);
  });
}

async function handleCall(broker: Broker, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const body = await readBody(req);
  if (!body) return fail(res, 413, `the request body is over ${MAX_BODY_BYTES} bytes`);
  let value: JsonValue;
  try {
    value = parseJson(body.toString('utf8'));
  } catch (err) {
    return fail(res, 400, `the body is not JSON: ${(err as Error).message}`);
  }
  if (!isJsonObject(value) || typeof value.execute !== 'string') {
    return fail(res, 400, 'the body must be {"execute": "command", "arguments": {...}}');
  }
  if (value.arguments !== undefined && !isJsonObject(value.arguments)) {
    return fail(res, 400, '"arguments" must be an object');
  }
  const request: JsonObject = { execute: value.execute };
  if (value.arguments !== undefined) request.arguments = value.arguments;
  const delivery = await callThrough(broker, request, req.socket.remoteAddress ?? '?');
  if (!delivery.reply) {
    return send(res, 200, { 'no-reply': `${value.execute} sent; the agent sends no reply to it on success` });
  }
  const failure = delivery.failure;
  const status = !failure ? 200 : failure instanceof TimeoutError ? 504 : failure instanceof ConnectionError ? 503 : 502;
  send(res, status, delivery.reply);
}

function commandsBody(broker: Broker): JsonObject {
  const facts = broker.facts;
  const agent = facts.commands;
  const names = new Set<string>([...facts.schema.commands().map((c) => c.name), ...(agent?.keys() ?? [])]);
  const commands: JsonObject[] = [];
  for (const name of [...names].sort()) {
    const def = facts.schema.command(name);
    const own = agent?.get(name);
    const entry: JsonObject = {
      name,
      agent: !agent ? 'unknown' : !own ? 'absent' : own.enabled ? 'enabled' : 'disabled',
      'in-schema': def !== undefined,
    };
    if (def) {
      entry.summary = def.doc.summary;
      if (def.since) entry.since = def.since;
    }
    const noReply = own ? !own.successResponse : def ? !def.successResponse : undefined;
    if (noReply !== undefined) entry['success-response'] = !noReply;
    commands.push(entry);
  }
  return {
    'agent-version': facts.version ?? null,
    'schema-version': facts.schema.schema.qemuVersion ?? null,
    commands,
  };
}

const HEALTHY = new Set(['ready', 'busy', 'syncing']);

export interface HttpApi {
  server: http.Server;
  url: string;
  close(): Promise<void>;
}

export async function startHttpApi(broker: Broker, bind: HttpBind, token: string | undefined): Promise<HttpApi> {
  checkHttpBind(bind, token);
  const startedAt = Date.now();
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (!authorized(req, token)) {
      broker.log?.(`http: refused ${req.method} ${path} from ${req.socket.remoteAddress ?? '?'} without a valid token`);
      return fail(res, 401, 'a valid token is required (Authorization: Bearer TOKEN)', { 'www-authenticate': 'Bearer' });
    }
    // POST /call is logged like any client's command, by the broker.
    switch (`${req.method ?? 'GET'} ${path}`) {
      case 'POST /call':
        handleCall(broker, req, res).catch((err: unknown) => fail(res, 500, String(err)));
        return;
      case 'GET /commands':
        return send(res, 200, commandsBody(broker));
      case 'GET /health': {
        const info = broker.info();
        const body = { ...info, 'uptime-s': Math.round((Date.now() - startedAt) / 1000) } as unknown as JsonObject;
        return send(res, HEALTHY.has(info.state) ? 200 : 503, body);
      }
      default:
        if (['/call', '/commands', '/health'].includes(path ?? '')) return fail(res, 405, `${req.method} is not allowed on ${path}`);
        return fail(res, 404, `no such endpoint ${path}: use POST /call, GET /commands or GET /health`);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(bind.port, bind.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : bind.port;
  const host = bind.host.includes(':') ? `[${bind.host}]` : bind.host;
  return {
    server,
    url: `http://${host}:${port}`,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
