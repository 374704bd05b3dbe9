// TLS through the nginx front (scripts/tls, conf/nginx-tls.conf): a real
// handshake with curl, only TLS 1.2 and 1.3, HSTS, Secure cookies, and the
// client's address passed on for throttling.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { sql } from '../lib/harness.mjs';

const URL_ = process.env.IHTRACK_TLS_URL;
const CA = process.env.IHTRACK_TLS_CA;

function curl(args) {
  return spawnSync('curl', ['-sS', '--cacert', CA, '--max-time', '10', ...args], { encoding: 'utf8' });
}

test('a verified TLS 1.3 handshake, HTTP/2, HSTS and Secure cookies', { skip: !URL_ && 'no TLS front' }, () => {
  const r = curl(['-D', '-', '-o', '/dev/null', '-w', '%{http_version} %{ssl_verify_result}\n',
    '-v', `${URL_}/sign-in`]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^HTTP\/2 200/);
  assert.match(r.stdout, /\n2 0\n$/, 'HTTP/2, certificate verified');
  assert.match(r.stderr, /SSL connection using TLSv1\.3/);
  assert.match(r.stdout, /strict-transport-security: max-age=31536000; includeSubDomains/);
  assert.match(r.stdout, /set-cookie: ihtrack_presign=[0-9a-f]{64}; [^\n]*; Secure/);
  assert.match(r.stdout, /content-security-policy: default-src 'self'/);
  assert.doesNotMatch(r.stdout, /server: nginx\/\d/, 'no version in Server');
});

test('TLS 1.2 works with forward secrecy; TLS 1.1 and 1.0 are refused', { skip: !URL_ && 'no TLS front' }, () => {
  const ok = curl(['-o', '/dev/null', '-v', '--tls-max', '1.2', `${URL_}/healthz`]);
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stderr, /SSL connection using TLSv1\.2 \/ ECDHE-/);
  for (const v of ['1.1', '1.0']) {
    const old = curl(['-o', '/dev/null', `--tlsv${v}`, '--tls-max', v, '--ciphers', 'DEFAULT@SECLEVEL=0',
      `${URL_}/healthz`]);
    assert.notEqual(old.status, 0, `TLS ${v} must fail`);
  }
  const plain = curl(['-o', '/dev/null', '-w', '%{http_code}', URL_.replace('https:', 'http:') + '/healthz']);
  assert.equal(plain.stdout, '400', 'plain HTTP on the TLS port is refused');
});

test('the certificate is checked: an untrusted client fails the handshake', { skip: !URL_ && 'no TLS front' }, () => {
  const r = spawnSync('curl', ['-sS', '--max-time', '10', '-o', '/dev/null', `${URL_}/healthz`], { encoding: 'utf8' });
  assert.equal(r.status, 60, r.stderr);
});

test('through the front, a client cannot choose its address for throttling', { skip: !URL_ && 'no TLS front' }, () => {
  const jar = `${process.env.IHTRACK_VAR ?? '/tmp'}/tls-jar-${process.pid}`;
  const page = curl(['-c', jar, '-b', jar, `${URL_}/sign-in`]);
  const [, token] = page.stdout.match(/name="csrf_token" value="([0-9a-f]{64})"/);
  const count = () => Number(sql("SELECT coalesce(sum(failures), 0) + count(locked_until) FROM signin_failures WHERE key = 'address:127.0.0.1'")[0][0]);
  const before = count();
  const r = curl(['-c', jar, '-b', jar, '-o', '/dev/null', '-w', '%{http_code}',
    '-H', 'X-Forwarded-For: 203.0.113.200', '--data-urlencode', `csrf_token=${token}`,
    '--data-urlencode', `email=spoof${process.pid}@demo.ihtrack.test`, '--data-urlencode', 'password=x',
    `${URL_}/sign-in`]);
  assert.equal(r.stdout, '401');
  assert.equal(sql("SELECT count(*) FROM signin_failures WHERE key = 'address:203.0.113.200'")[0][0], '0');
  assert.notEqual(count(), before, 'counted against the real peer address');
});
