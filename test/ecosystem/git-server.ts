// Git repositories served over smart HTTP on loopback, the way a Git host serves them to Flux's
// source-controller and Argo CD's repo server: git-http-backend (git's own CGI program) behind a
// small Node HTTP server in the test process. Tests commit manifests with the git CLI and push.

import { execFile, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface GitServer {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  /** Creates an empty bare repository `<name>.git` and returns a working clone to commit in. */
  repository(name: string): GitRepository;
  close(): Promise<void>;
}

export interface GitRepository {
  /** The URL clients fetch: <server>/<name>.git */
  readonly url: string;
  /**
   * Replaces the files of the working tree with `files` (path -> content), commits on main and
   * pushes over HTTP (asynchronously: the server runs in this process). Resolves with the commit's SHA.
   */
  push(files: Record<string, string>, message: string): Promise<string>;
}

const IDENTITY = ['-c', 'user.name=roomban tests', '-c', 'user.email=tests@roomban.invalid'];

export async function startGitServer(): Promise<GitServer> {
  const root = mkdtempSync(join(tmpdir(), 'roomban-git-'));
  const projects = join(root, 'srv');
  mkdirSync(projects);
  const server = createServer((req, res) => serveCgi(projects, req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('git server has no port');
  const url = `http://127.0.0.1:${address.port}`;
  return {
    url,
    repository(name) {
      const bare = join(projects, `${name}.git`);
      git(root, 'init', '--quiet', '--bare', '--initial-branch=main', bare);
      git(bare, 'config', 'http.receivepack', 'true');
      const work = join(root, 'work', name);
      const repoUrl = `${url}/${name}.git`;
      git(root, 'init', '--quiet', '--initial-branch=main', work);
      return {
        url: repoUrl,
        async push(files, message) {
          git(work, 'rm', '-r', '-q', '--ignore-unmatch', '.');
          for (const [path, content] of Object.entries(files)) {
            mkdirSync(dirname(join(work, path)), { recursive: true });
            writeFileSync(join(work, path), content);
          }
          git(work, 'add', '--all');
          git(work, ...IDENTITY, 'commit', '--quiet', '--allow-empty', '-m', message);
          await new Promise<void>((resolve, reject) => {
            execFile('git', ['push', '--quiet', repoUrl, 'HEAD:refs/heads/main'], { cwd: work }, (error, _stdout, stderr) =>
              error ? reject(new Error(`git push to ${repoUrl} failed: ${stderr}`)) : resolve());
          });
          return git(work, 'rev-parse', 'HEAD').trim();
        },
      };
    },
    async close() {
      await closeServer(server);
      rmSync(root, { recursive: true, force: true });
    },
  };
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Runs git-http-backend for one request, per RFC 3875 (CGI/1.1). */
function serveCgi(projects: string, req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    GIT_PROJECT_ROOT: projects,
    GIT_HTTP_EXPORT_ALL: '1',
    GATEWAY_INTERFACE: 'CGI/1.1',
    SERVER_PROTOCOL: `HTTP/${req.httpVersion}`,
    REQUEST_METHOD: req.method ?? 'GET',
    PATH_INFO: decodeURIComponent(url.pathname),
    QUERY_STRING: url.search.slice(1),
    REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
    REMOTE_USER: 'tests', // lets git-http-backend accept pushes (http.receivepack is on)
    CONTENT_TYPE: req.headers['content-type'] ?? '',
    ...(req.headers['content-length'] ? { CONTENT_LENGTH: req.headers['content-length'] } : {}),
  };
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === 'string') env[`HTTP_${name.toUpperCase().replaceAll('-', '_')}`] = value;
  }
  const cgi = spawn('git', ['http-backend'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  cgi.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  req.pipe(cgi.stdin);
  let head = Buffer.alloc(0);
  let headersSent = false;
  cgi.stdout.on('data', (chunk: Buffer) => {
    if (headersSent) {
      res.write(chunk);
      return;
    }
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf('\r\n\r\n') >= 0 ? head.indexOf('\r\n\r\n') : head.indexOf('\n\n');
    if (end < 0) return;
    const separator = head[end] === 0x0d ? 4 : 2;
    let status = 200;
    for (const line of head.subarray(0, end).toString('latin1').split(/\r?\n/)) {
      const colon = line.indexOf(':');
      if (colon < 0) continue;
      const name = line.slice(0, colon).trim();
      const value = line.slice(colon + 1).trim();
      if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10);
      else res.setHeader(name, value);
    }
    res.writeHead(status);
    headersSent = true;
    res.write(head.subarray(end + separator));
  });
  cgi.on('close', (code) => {
    if (!headersSent) {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.write(`git http-backend exited ${code}: ${stderr}`);
    }
    res.end();
  });
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
