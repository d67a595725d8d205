// Runs the Argo CD health check shipped in charts/roomban-operator/argocd/health.lua in Argo CD's own
// Lua VM: tools/argocd's argocd-health calls github.com/argoproj/argo-cd/v3/util/lua (VM.ExecuteHealthLua,
// gopher-lua with only the base and table libraries), the code the application controller runs
// resource.customizations.health.* with.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { argoCd } from '../ecosystem/binaries.ts';
import { CHART_DIR } from './chart.ts';

export const HEALTH_LUA = join(CHART_DIR, 'argocd', 'health.lua');

export interface ArgoCdHealth {
  status: string;
  message: string;
}

/** The argocd-health program and the Argo CD version it is built from (throws when setup.sh has not built it). */
export function argoCdHealthTool(): { path: string; version: string } {
  const argo = argoCd();
  return { path: join(argo.binDir, 'argocd-health'), version: argo.version };
}

/** What Argo CD's health check `script` (default: the chart's) says of `object` (a RoomBan; apiVersion and kind are filled in). */
export function argoCdHealth(object: object, script = HEALTH_LUA): ArgoCdHealth {
  const run = runArgoCdHealth(object, script);
  assert.equal(run.status, 0, `argocd-health exited ${run.status}: ${run.stderr}`);
  const result = JSON.parse(run.stdout) as { status?: string; message?: string };
  return { status: result.status ?? '', message: result.message ?? '' };
}

/** Runs argocd-health and returns its exit status and output, for checks that must fail. */
export function runArgoCdHealth(object: object, script: string): { status: number | null; stdout: string; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), 'roomban-argocd-'));
  try {
    const objectFile = join(dir, 'object.json');
    writeFileSync(objectFile, JSON.stringify({ apiVersion: 'roomban.io/v1alpha1', kind: 'RoomBan', ...object }));
    const run = spawnSync(argoCdHealthTool().path, [script, objectFile], { encoding: 'utf8' });
    return { status: run.status, stdout: run.stdout, stderr: run.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
