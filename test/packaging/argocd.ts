// Runs the Argo CD health check shipped in charts/roomban-operator/argocd/health.lua with the real
// Lua interpreter and only the libraries Argo CD opens for custom checks (the fixture driver).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHART_DIR, FIXTURES_DIR } from './chart.ts';
import { toLuaLiteral } from './lua.ts';

export const LUA = process.env.LUA ?? '/usr/bin/lua5.4';
const HEALTH_LUA = join(CHART_DIR, 'argocd', 'health.lua');
const DRIVER = join(FIXTURES_DIR, 'argocd-health-driver.lua');

export interface ArgoCdHealth {
  status: string;
  message: string;
}

/** What Argo CD's health check says of `object` (a RoomBan; apiVersion and kind are filled in). */
export function argoCdHealth(object: object): ArgoCdHealth {
  const dir = mkdtempSync(join(tmpdir(), 'roomban-argocd-'));
  try {
    const objectFile = join(dir, 'object.lua');
    writeFileSync(objectFile, `return ${toLuaLiteral({ apiVersion: 'roomban.io/v1alpha1', kind: 'RoomBan', ...object })}\n`);
    const run = spawnSync(LUA, [DRIVER, HEALTH_LUA, objectFile], { encoding: 'utf8' });
    assert.equal(run.status, 0, `lua exited ${run.status}: ${run.stderr}`);
    const [status = '', message = ''] = run.stdout.split('\n');
    return { status, message };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
