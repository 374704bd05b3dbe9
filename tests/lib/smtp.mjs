// smtp.mjs: a real SMTP server for the tests, in this process, on
// 127.0.0.1: the service delivers to it over TCP as it would to any relay,
// and the tests read what arrived (envelope, raw bytes, parsed message).
// stop() and restart() let a fault test take the relay away mid-run.
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';

const HOST = '127.0.0.1';

// Options: { port, tls: { key, cert } (else no STARTTLS is offered),
// requireAuth: { user, pass } (else AUTH is optional and any login passes),
// reject(envelope, message) -> null or a reason to refuse the message at
// end of DATA ("451 try later"; a reason without a code is a 550) }.
// The listener keeps the process alive: a test file stops it in after().
export async function startSmtp(options = {}) {
  const {
    port = Number(process.env.IHTRACK_TEST_SMTP_PORT ?? 18825),
    tls, requireAuth, reject,
  } = options;
  const messages = [];
  const waiters = new Set();
  let smtp = null;
  let sockets = new Set();
  // TCP connections accepted so far: a sender that reuses its connection
  // makes few.
  let connections = 0;
  // Bumped by stop(): a message still being read or parsed when the relay
  // went down was never acknowledged, so it must not count as delivered.
  let generation = 0;

  function store(msg) {
    messages.push(msg);
    for (const w of [...waiters]) w.offer(msg);
  }

  function onData(stream, session, callback) {
    const gen = generation;
    const chunks = [];
    stream.on('data', (c) => chunks.push(c));
    // The client went away mid-message (smtp-server destroys the stream).
    stream.on('error', (err) => callback(err));
    stream.on('end', async () => {
      const at = Date.now();
      const raw = Buffer.concat(chunks);
      const envelope = {
        from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
        to: session.envelope.rcptTo.map((a) => a.address),
      };
      let p;
      try {
        p = await simpleParser(raw, { skipImageLinks: true, skipTextLinks: true });
      } catch (err) {
        return callback(smtpError(`554 test relay could not parse the message: ${err.message}`));
      }
      const msg = {
        raw, envelope, secure: !!session.secure, at,
        parsed: {
          from: addressText(p.from), to: addressText(p.to), subject: p.subject,
          text: p.text, html: p.html || undefined, messageId: p.messageId, date: p.date,
          headers: p.headers,
        },
      };
      if (gen !== generation) return callback(smtpError('421 test relay went down'));
      let reason = null;
      try {
        reason = reject ? reject(envelope, msg) : null;
      } catch (err) {
        reason = `451 the test's reject() threw: ${err.message}`;
      }
      if (reason) return callback(smtpError(reason));
      // Stored before the callback: the 250 goes out only once a test can see it.
      store(msg);
      return callback(null, 'OK: stored');
    });
  }

  function onAuth(auth, session, callback) {
    if (!requireAuth
        || (auth.username === requireAuth.user && auth.password === requireAuth.pass)) {
      return callback(null, { user: auth.username });
    }
    return callback(smtpError('535 authentication failed'));
  }

  async function listen(onPort) {
    smtp = new SMTPServer({
      logger: false,
      size: 64 * 1024 * 1024,
      authOptional: !requireAuth,
      allowInsecureAuth: true,
      authMethods: ['PLAIN', 'LOGIN'],
      disabledCommands: tls ? [] : ['STARTTLS'],
      ...(tls ? { key: tls.key, cert: tls.cert } : {}),
      closeTimeout: 1000,
      onData, onAuth,
    });
    // A client dropping its connection is an 'error' on the server; left
    // without a listener it would end the test process.
    smtp.on('error', () => {});
    sockets = new Set();
    smtp.server.on('connection', (s) => {
      connections += 1;
      sockets.add(s);
      s.once('close', () => sockets.delete(s));
    });
    await new Promise((resolve, rejectListen) => {
      const onError = (err) => {
        smtp.server.off('listening', onListening);
        if (err.code === 'EADDRINUSE') {
          rejectListen(new Error(`test SMTP server: ${HOST}:${onPort} is already in use `
            + '(another test run or a real mail server?); set IHTRACK_TEST_SMTP_PORT to a free port',
          { cause: err }));
        } else {
          rejectListen(new Error(`test SMTP server: cannot listen on ${HOST}:${onPort}: ${err.message}`,
            { cause: err }));
        }
      };
      const onListening = () => { smtp.server.off('error', onError); resolve(); };
      smtp.server.once('error', onError);
      smtp.server.once('listening', onListening);
      smtp.listen(onPort, HOST);
    });
    return smtp.server.address().port;
  }

  const server = {
    messages,
    port: await listen(port),
    get connections() { return connections; },

    // The first message, already here or yet to come, for which pred holds.
    waitFor(pred = () => true, { timeout = 15000 } = {}) {
      return new Promise((resolve, rejectWait) => {
        const w = {
          offer(m) {
            let hit;
            try { hit = pred(m); } catch (err) { done(); rejectWait(err); return true; }
            if (hit) { done(); resolve(m); }
            return hit;
          },
        };
        const timer = setTimeout(() => {
          done();
          const seen = messages.map((m) => `  to ${m.envelope.to.join(', ')}: ${JSON.stringify(m.parsed.subject)}`);
          rejectWait(new Error(`no matching mail within ${timeout} ms; ${messages.length} arrived`
            + (seen.length ? `:\n${seen.join('\n')}` : '')));
        }, timeout);
        function done() { clearTimeout(timer); waiters.delete(w); }
        for (const m of messages) if (w.offer(m)) return;
        waiters.add(w);
      });
    },

    count(pred = () => true) { return messages.filter(pred).length; },

    clear() { messages.length = 0; },

    // The relay going down: the listener and every connection go at once
    // (no 421, no waiting for clients to say QUIT).
    async stop() {
      if (!smtp) return;
      const s = smtp;
      smtp = null;
      generation += 1;
      const closed = new Promise((resolve) => s.close(resolve));
      // Topmost socket first (a TLS session after STARTTLS; _socket is
      // smtp-server's own field, there is no public one), then the raw
      // ones, including any not yet handed to an SMTP session.
      for (const c of s.connections) c._socket?.destroy();
      for (const sock of sockets) sock.destroy();
      await closed;
    },

    async restart() {
      await server.stop();
      await listen(server.port);
    },
  };
  return server;
}

// An error smtp-server answers with: "451 try later" gives code 451.
function smtpError(reason) {
  const m = /^([45]\d\d)[ -]?(.*)$/s.exec(String(reason));
  const err = new Error(m ? m[2] || 'rejected' : String(reason));
  err.responseCode = m ? Number(m[1]) : 550;
  return err;
}

// mailparser gives an address object, or an array of them for repeated headers.
function addressText(a) {
  if (!a) return undefined;
  return Array.isArray(a) ? a.map((x) => x.text).join(', ') : a.text;
}
