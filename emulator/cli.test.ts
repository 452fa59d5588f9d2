import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configFromArgs } from './cli.js';
import { DEFAULT_CONFIG } from './config.js';

describe('configFromArgs: timeouts in ms', () => {
  it('defaults: shutdown 10 s, a stalled request body 60 s', () => {
    expect(configFromArgs([], {})).toMatchObject({ shutdownTimeoutMs: 10_000, bodyIdleTimeoutMs: 60_000 });
    expect(DEFAULT_CONFIG.bodyIdleTimeoutMs).toBe(60_000);
  });

  it('from the environment, and a flag wins over it', () => {
    expect(configFromArgs([], { OSSEMU_BODY_IDLE_TIMEOUT_MS: '1500' }).bodyIdleTimeoutMs).toBe(1500);
    expect(configFromArgs(['--body-idle-timeout', '250'], { OSSEMU_BODY_IDLE_TIMEOUT_MS: '1500' }).bodyIdleTimeoutMs).toBe(250);
    expect(configFromArgs(['--shutdown-timeout', '300'], {}).shutdownTimeoutMs).toBe(300);
  });

  it('an upload callback may take 5 s by default (as in OSS); --callback-timeout / OSSEMU_CALLBACK_TIMEOUT_MS change it; 0 is refused', () => {
    expect(configFromArgs([], {}).callbackTimeoutMs).toBe(5000);
    expect(configFromArgs([], { OSSEMU_CALLBACK_TIMEOUT_MS: '250' }).callbackTimeoutMs).toBe(250);
    expect(configFromArgs(['--callback-timeout', '9000'], { OSSEMU_CALLBACK_TIMEOUT_MS: '250' }).callbackTimeoutMs).toBe(9000);
    expect(() => configFromArgs(['--callback-timeout', '0'], {})).toThrow('--callback-timeout must be at least 1 ms');
  });

  it('a restore takes 1 s by default; --restore-delay / OSSEMU_RESTORE_DELAY_MS change it, 0 is at once', () => {
    expect(configFromArgs([], {}).restoreDelayMs).toBe(1000);
    expect(configFromArgs([], { OSSEMU_RESTORE_DELAY_MS: '0' }).restoreDelayMs).toBe(0);
    expect(configFromArgs(['--restore-delay', '60000'], { OSSEMU_RESTORE_DELAY_MS: '0' }).restoreDelayMs).toBe(60_000);
    expect(() => configFromArgs(['--restore-delay', 'soon'], {})).toThrow('--restore-delay must be a whole number of ms');
  });

  it('0 turns the body timeout off', () => {
    expect(configFromArgs(['--body-idle-timeout', '0'], {}).bodyIdleTimeoutMs).toBe(0);
  });

  it('the longest delay a timer takes is accepted', () => {
    expect(configFromArgs(['--body-idle-timeout', '2147483647'], {}).bodyIdleTimeoutMs).toBe(2 ** 31 - 1);
  });

  it.each(['-1', '1.5', 'soon', '', '2147483648', '1e4'])('rejects %j', (value) => {
    expect(() => configFromArgs([`--body-idle-timeout=${value}`], {})).toThrow(`--body-idle-timeout must be a whole number of ms up to 2147483647 (got ${value})`);
    expect(() => configFromArgs([], { OSSEMU_SHUTDOWN_TIMEOUT_MS: value })).toThrow('--shutdown-timeout must be a whole number of ms');
  });
});

describe('configFromArgs: RAM users', () => {
  const user = { name: 'app', accessKeyId: 'app-key', accessKeySecret: 'app-secret', policy: { Version: '1', Statement: [{ Effect: 'Allow', Action: 'oss:PutObject', Resource: '*' }] } };

  it('none by default', () => {
    expect(configFromArgs([], {}).ramUsers).toEqual([]);
  });

  it('inline JSON from OSSEMU_RAM_USERS, or a JSON file named by --ram-users', () => {
    const fromEnv = configFromArgs([], { OSSEMU_RAM_USERS: JSON.stringify([user]) }).ramUsers;
    expect(fromEnv.map((u) => [u.name, u.accessKeyId, u.policies.length])).toEqual([['app', 'app-key', 1]]);
    const dir = mkdtempSync(join(tmpdir(), 'ossemu-ram-'));
    try {
      writeFileSync(join(dir, 'users.json'), JSON.stringify(user));
      expect(configFromArgs(['--ram-users', join(dir, 'users.json')], {}).ramUsers[0]!.name).toBe('app');
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  it('a bad document, or a user with the account\'s own AccessKey ID, stops the start with a message', () => {
    expect(() => configFromArgs([], { OSSEMU_RAM_USERS: '[{"name":"x"}]' })).toThrow(/"accessKeyId" must be a non-empty string/);
    expect(() => configFromArgs(['--access-key-id', 'app-key'], { OSSEMU_RAM_USERS: JSON.stringify(user) })).toThrow(/already in use/);
  });
});

describe('configFromArgs: log level', () => {
  it.each(['silent', 'error', 'warn', 'info', 'debug'])('accepts %s (warn, which Docker users reach for, as well)', (level) => {
    expect(configFromArgs(['--log-level', level], {}).logLevel).toBe(level);
    expect(configFromArgs([], { OSSEMU_LOG_LEVEL: level }).logLevel).toBe(level);
  });

  it('refuses a level pino does not have', () => {
    expect(() => configFromArgs(['--log-level', 'verbose'], {})).toThrow(/log-level/);
  });
});
