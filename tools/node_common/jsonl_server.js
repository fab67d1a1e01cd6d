// boilerbench's JSON-lines protocol (jsonl-v1) for a long-lived Node.js extractor process.
//
// Shared by the servers in tools/<name>/ (Defuddle, @postlight/parser,
// @extractus/article-extractor). Request, one per stdin line:
//   {"id": str, "url": str, "language": str, "html": str}
// Reply, one per stdout line, in request order:
//   {"id": str, "text": str}   the extractor's output ("" when it finds no article)
//   {"id": str, "error": str}  the extraction failed; the harness records an error
// Nothing else is ever written to stdout: console output goes to stderr.
//
// Offline: sockets, DNS, http(s) requests and fetch are refused before any
// library is loaded, so a library that tries to fetch (a next page, an image,
// a third-party API) fails loudly instead of reaching the network. The harness
// also runs the process in a network namespace of its own where the system allows.
'use strict';

const PROTOCOL = 'jsonl-v1';
const REFUSED = 'network disabled by boilerbench';

function refuseNetwork() {
  const refuse = function () { throw new Error(REFUSED); };
  const net = require('node:net');
  net.Socket.prototype.connect = refuse;
  net.connect = refuse;
  net.createConnection = refuse;
  const dns = require('node:dns');
  for (const name of ['lookup', 'resolve', 'resolve4', 'resolve6', 'resolveAny']) {
    dns[name] = refuse;
  }
  for (const module of ['node:http', 'node:https']) {
    const lib = require(module);
    lib.request = refuse;
    lib.get = refuse;
  }
  globalThis.fetch = () => Promise.reject(new Error(REFUSED));
}

function quietConsole() {
  // a library's console.log must never land between two replies
  const toStderr = (...args) => process.stderr.write(args.map(String).join(' ') + '\n');
  console.log = toStderr;
  console.info = toStderr;
  console.debug = toStderr;
  console.warn = toStderr;
}

function pageUrl(request) {
  return request.url && /^https?:\/\//i.test(request.url) ? request.url : 'http://localhost/';
}

// serve(load): load() runs once after the network is refused and returns
// async (request) => text; requests are answered one at a time, in order.
function serve(load) {
  refuseNetwork();
  quietConsole();
  const extract = load();
  const readline = require('node:readline');
  const reply = (obj) => process.stdout.write(JSON.stringify(obj) + '\n');
  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity, terminal: false });
  let queue = Promise.resolve();
  lines.on('line', (line) => {
    if (!line.trim()) {
      return;
    }
    queue = queue.then(async () => {
      let request;
      try {
        request = JSON.parse(line);
      } catch (err) {
        reply({ id: null, error: `request is not JSON (${PROTOCOL}): ${err.message}` });
        return;
      }
      try {
        const text = await extract(request);
        reply({ id: request.id, text: typeof text === 'string' ? text : '' });
      } catch (err) {
        reply({ id: request.id, error: `${err && err.name ? err.name : 'Error'}: ${err && err.message ? err.message : err}` });
      }
    });
  });
  lines.on('close', () => { queue.then(() => process.exit(0)); });
}

module.exports = { serve, pageUrl, REFUSED };
