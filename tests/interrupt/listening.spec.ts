import { test, expect } from '@playwright/test';
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { ENGINE_NAMES } from '../../lib/measure/engines/engine.ts';
import { launchEngine } from '../../lib/measure/engines/launch.ts';
import { descendants } from './process-table.ts';

// What the engines' own processes listen on (a driver's WebDriver port, a browser's remote-debugging port): loopback
// only, never every interface. Read from /proc while the engine runs.

function listening(): Map<string, string> {
  const byInode = new Map<string, string>();
  const decode4 = (hex: string) => [3, 2, 1, 0].map((i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16)).join('.');
  const decode6 = (hex: string) => (hex === '00000000000000000000000001000000' ? '::1' : hex === '0'.repeat(32) ? '::' : hex.startsWith('0000000000000000FFFF0000') ? decode4(hex.slice(24)) : `v6:${hex}`);
  for (const [file, decode] of [['/proc/net/tcp', decode4], ['/proc/net/tcp6', decode6]] as const) {
    for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f[3] !== '0A' || !f[1]) continue;
      const [address = '', port = '0'] = f[1].split(':');
      byInode.set(f[9] ?? '', `${decode(address)}:${parseInt(port, 16)}`);
    }
  }
  return byInode;
}

for (const engine of ENGINE_NAMES) {
  test(`${engine}: every process of the engine listens on loopback only`, async () => {
    const session = await launchEngine(engine);
    try {
      const sockets = listening();
      const found: string[] = [];
      for (const p of descendants(process.pid)) {
        let fds: string[] = [];
        try {
          fds = readdirSync(`/proc/${p.pid}/fd`);
        } catch {
          continue;
        }
        for (const fd of fds) {
          try {
            const inode = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${p.pid}/fd/${fd}`))?.[1];
            const address = inode === undefined ? undefined : sockets.get(inode);
            if (address !== undefined) found.push(`${p.comm} ${address}`);
          } catch {
            // closed meanwhile
          }
        }
      }
      console.log(`${engine} listens on: ${found.join(', ') || 'nothing'}`);
      expect(found.filter((s) => !/ (127\.\d+\.\d+\.\d+|::1):\d+$/.test(s)), 'listening beyond loopback').toEqual([]);
    } finally {
      await session.close();
    }
  });
}
