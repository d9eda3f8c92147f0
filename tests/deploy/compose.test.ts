/**
 * docker-compose.yml against the image and the service's own settings (no Docker engine here: the
 * image's runtime layout itself is started by tests/deploy/release.test.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config.js';
import { ROOT } from '../../src/paths.js';
import { runtimeCommands } from './release.js';

interface Compose {
  services: Record<string, {
    build?: string;
    stop_grace_period?: string;
    environment: Record<string, string>;
    ports?: string[];
    volumes?: string[];
    networks?: string[];
    healthcheck?: { test: string[] };
    read_only?: boolean;
  }>;
  networks: Record<string, { ipam: { config: { subnet: string; gateway: string }[] } }>;
  volumes: Record<string, unknown>;
}

const compose = parse(fs.readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8')) as Compose;
const ykien = compose.services.ykien!;
const seconds = (d: string) => {
  const m = /^(\d+)(ms|s|m)$/.exec(d);
  if (!m) throw new Error(`cannot read the duration ${d}`);
  return Number(m[1]) * { ms: 0.001, s: 1, m: 60 }[m[2] as 'ms' | 's' | 'm'];
};

describe('docker-compose.yml', () => {
  it('is settings the service accepts, production ones, and the demo off', () => {
    const config = loadConfig(ykien.environment);
    expect(config).toMatchObject({ NODE_ENV: 'production', SEED_DEMO: false, HOST: '0.0.0.0', DATABASE_PATH: '/data/ykien.db' });
    expect(config.PUBLIC_URL).toMatch(/^https:\/\//);
    expect(Object.keys(ykien.environment)).toEqual(expect.arrayContaining(['TRUST_PROXY', 'PUBLIC_URL', 'HASH_SALT', 'METRICS_TOKEN']));
  });

  it('gives the clean shutdown more than twice SHUTDOWN_TIMEOUT_MS before Docker kills it', () => {
    const { SHUTDOWN_TIMEOUT_MS } = loadConfig(ykien.environment);
    expect(seconds(ykien.stop_grace_period!) * 1000).toBeGreaterThan(2 * SHUTDOWN_TIMEOUT_MS);
  });

  it('keeps the database in a volume at DATABASE_PATH and publishes the port on loopback only, for nginx on the host', () => {
    const dir = path.posix.dirname(ykien.environment.DATABASE_PATH!);
    const [volume, mount] = ykien.volumes![0]!.split(':');
    expect(mount).toBe(dir);
    expect(compose.volumes).toHaveProperty(volume!);
    expect(ykien.ports).toEqual([`127.0.0.1:${ykien.environment.PORT}:${ykien.environment.PORT}`]);
    expect(ykien.read_only).toBe(true);
  });

  it("trusts exactly the compose network's gateway (where nginx on the host comes from) as the proxy", () => {
    const network = compose.networks[ykien.networks![0]!]!;
    expect(ykien.environment.TRUST_PROXY).toBe(network.ipam.config[0]!.gateway);
  });

  it("health-checks /readyz like the image's HEALTHCHECK", () => {
    const image = runtimeCommands().healthcheck;
    const test = ykien.healthcheck!.test;
    expect(test[0]).toBe('CMD');
    expect(test.slice(1, 3)).toEqual(image.slice(0, 2));
    expect(test.join(' ')).toContain(`http://127.0.0.1:${ykien.environment.PORT}/readyz`);
    expect(image.join(' ')).toContain('/readyz');
    expect(ykien.build).toBe('.');
  });
});
