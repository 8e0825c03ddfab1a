/**
 * `node dist/webhook.js --cert F --key F [--port 8443] [--kubeconfig F] [--context C]`: the restore-size
 * admission webhook. In a pod it uses the service account (in-cluster config) unless --kubeconfig is given.
 * Exit codes: 0 after a SIGTERM/SIGINT shutdown, 1 when it cannot start, 2 on usage errors.
 */
import { parseArgs } from 'node:util';
import { CertificateReloader, loadPair } from './certs.js';
import { clusterSnapshots, DEFAULT_MAX_STALE_MS } from './clusterSnapshots.js';
import { isLogLevel, jsonLogger, type LogLevel } from './log.js';
import { createWebhookServer } from './server.js';

const USAGE = `usage: webhook --cert FILE --key FILE [--port 8443] [--host ADDR] [--kubeconfig FILE] [--context NAME]
               [--drain-timeout SECONDS] [--max-stale SECONDS] [--log-level debug|info|warn|error]`;

function usage(message: string): never {
  process.stderr.write(`webhook: ${message}\n${USAGE}\n`);
  process.exit(2);
}

interface Args {
  cert: string;
  key: string;
  port: number;
  host?: string;
  kubeconfig?: string;
  context?: string;
  drainTimeoutMs: number;
  maxStaleMs: number;
  logLevel: LogLevel;
}

function parse(argv: string[]): Args {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        cert: { type: 'string' },
        key: { type: 'string' },
        port: { type: 'string', default: '8443' },
        host: { type: 'string' },
        kubeconfig: { type: 'string' },
        context: { type: 'string' },
        'drain-timeout': { type: 'string', default: '30' },
        'max-stale': { type: 'string', default: String(DEFAULT_MAX_STALE_MS / 1000) },
        'log-level': { type: 'string', default: 'info' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    usage(e instanceof Error ? e.message : String(e));
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  if (!values.cert || !values.key) usage('--cert and --key are required');
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) usage(`--port ${values.port} is not a port number`);
  const drain = Number(values['drain-timeout']);
  if (!Number.isFinite(drain) || drain < 0) usage(`--drain-timeout ${values['drain-timeout']} is not a number of seconds`);
  const maxStale = Number(values['max-stale']);
  if (!Number.isFinite(maxStale) || maxStale < 0) usage(`--max-stale ${values['max-stale']} is not a number of seconds`);
  const level = values['log-level'] ?? 'info';
  if (!isLogLevel(level)) usage(`--log-level ${level} is not one of debug, info, warn, error`);
  return { cert: values.cert, key: values.key, port, host: values.host, kubeconfig: values.kubeconfig, context: values.context, drainTimeoutMs: drain * 1000, maxStaleMs: maxStale * 1000, logLevel: level };
}

async function main(): Promise<void> {
  const args = parse(process.argv.slice(2));
  const logger = jsonLogger({ level: args.logLevel });
  const initial = loadPair(args.cert, args.key);
  if (!initial.ok) {
    logger.log('error', 'certificate-invalid', `cannot start: ${initial.error}`, { cert: args.cert, key: args.key });
    process.exit(1);
  }
  const snapshots = clusterSnapshots({ kubeconfigPath: args.kubeconfig, context: args.context, logger, maxStaleMs: args.maxStaleMs });
  const webhook = createWebhookServer({ tls: initial.pair, snapshots, logger });
  webhook.metrics.certificateLoaded(initial.pair.notAfter);
  const reloader = new CertificateReloader({
    certPath: args.cert,
    keyPath: args.key,
    current: initial.pair,
    onReload: (pair) => {
      webhook.setCertificate(pair);
      webhook.metrics.certificateReload(true, pair.notAfter);
      logger.log('info', 'certificate-reloaded', `serving certificate reloaded (serial ${pair.serialNumber}, valid until ${pair.notAfter.toISOString()})`, {
        serialNumber: pair.serialNumber,
        notAfter: pair.notAfter.toISOString(),
      });
    },
    onInvalid: (error) => {
      webhook.metrics.certificateReload(false);
      logger.log('error', 'certificate-reload-failed', `the new certificate files are not usable, still serving the previous certificate: ${error}`);
    },
  });

  let address;
  try {
    address = await webhook.listen(args.port, args.host);
  } catch (e) {
    logger.log('error', 'listen-failed', `cannot listen on port ${args.port}: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  }
  logger.log('info', 'listening', `listening on ${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`, {
    port: address.port,
    serialNumber: initial.pair.serialNumber,
    notAfter: initial.pair.notAfter.toISOString(),
  });

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.log('info', 'shutting-down', `${signal}: no new connections; draining ${webhook.inFlight} in-flight request(s)`, { signal, inFlight: webhook.inFlight });
    reloader.close();
    void webhook.shutdown(args.drainTimeoutMs).then((r) => {
      snapshots.close();
      if (r.drained) logger.log('info', 'stopped', 'drained, exiting');
      else logger.log('warn', 'stopped', `drain deadline reached, ${r.abandoned} request(s) cut off`, { abandoned: r.abandoned });
      process.exit(0);
    });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

void main();
