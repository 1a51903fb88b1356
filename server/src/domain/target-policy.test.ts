import { describe, expect, it } from 'vitest';
import { addressRefusal, classifyAddress, ipLiteral } from './target-policy.ts';

describe('classifyAddress', () => {
  it.each([
    ['169.254.169.254', 'cloud metadata'],
    ['169.254.10.1', 'cloud metadata'],
    ['fd00:ec2::254', 'cloud metadata'],
    ['100.100.100.200', 'cloud metadata'],
    ['::ffff:169.254.169.254', 'cloud metadata'],
    ['::ffff:a9fe:a9fe', 'cloud metadata'],
    ['127.0.0.1', 'loopback'],
    ['127.255.0.3', 'loopback'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['fe80::1', 'link-local'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456::1', 'unique-local'],
    ['100.64.0.1', 'shared (CGNAT)'],
    ['100.127.255.254', 'shared (CGNAT)'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.1', 'reserved'],
    ['255.255.255.255', 'reserved'],
    ['ff02::1', 'reserved'],
    ['8.8.8.8', 'public'],
    ['172.32.0.1', 'public'],
    ['100.128.0.1', 'public'],
    ['2606:4700::1111', 'public'],
  ])('%s is %s', (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });

  it('refuses what is not an IP address', () => {
    expect(() => classifyAddress('example.com')).toThrow('not an IP address');
  });
});

describe('addressRefusal', () => {
  it('default refuses cloud metadata addresses only', () => {
    expect(addressRefusal('default', '169.254.169.254')).toBe('169.254.169.254, a cloud metadata address, which TARGET_POLICY=default refuses');
    expect(addressRefusal('default', 'fd00:ec2::254')).toContain('cloud metadata');
    for (const allowed of ['127.0.0.1', '::1', '10.0.0.1', '192.168.1.1', 'fc00::1', '8.8.8.8']) {
      expect(addressRefusal('default', allowed)).toBeNull();
    }
  });

  it('public-only refuses every non-public address', () => {
    expect(addressRefusal('public-only', '10.0.0.1')).toBe('10.0.0.1, a private address, which TARGET_POLICY=public-only refuses');
    expect(addressRefusal('public-only', '127.0.0.1')).toBe('127.0.0.1, a loopback address, which TARGET_POLICY=public-only refuses');
    expect(addressRefusal('public-only', 'fc00::1')).toContain('unique-local');
    expect(addressRefusal('public-only', '100.64.0.1')).toContain('shared (CGNAT)');
    expect(addressRefusal('public-only', '::ffff:10.0.0.1')).toContain('private');
    expect(addressRefusal('public-only', '8.8.8.8')).toBeNull();
  });

  it('allow-all allows everything', () => {
    expect(addressRefusal('allow-all', '169.254.169.254')).toBeNull();
  });
});

describe('ipLiteral', () => {
  it('finds IP literals in URL hostnames, IPv6 without brackets', () => {
    expect(ipLiteral('169.254.169.254')).toBe('169.254.169.254');
    expect(ipLiteral('[fd00:ec2::254]')).toBe('fd00:ec2::254');
    expect(ipLiteral(new URL('http://[::ffff:169.254.169.254]/').hostname)).toBe('::ffff:a9fe:a9fe');
    expect(ipLiteral('localhost')).toBeNull();
  });
});
