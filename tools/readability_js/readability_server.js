#!/usr/bin/env node
// Mozilla Readability.js on jsdom behind boilerbench's JSON-lines protocol (jsonl-v1).
//
// One long-lived process per boilerbench worker, so Node.js and jsdom start
// once, not per page. Request, one per stdin line:
//   {"id": str, "url": str, "language": str, "html": str, "output"?: "textContent" | "content"}
// Reply, one per stdout line, in order:
//   {"id": str, "text": str}   article.textContent, as the AEB benchmark's
//                              readability_js extractor prints it ("" when
//                              Readability finds no article); article.content
//                              (its cleaned HTML) when output is "content"
//   {"id": str, "error": str}  the parse failed; the harness records an error
// Nothing else is ever written to stdout: console output goes to stderr.
//
// Offline: jsdom is created without runScripts and without a resource loader,
// so it fetches nothing; as a guard against a future default changing that,
// sockets, DNS and fetch are refused before jsdom is loaded. The harness also
// runs this process in a network namespace of its own where the system allows.
// Set up with: npm --prefix tools/readability_js ci --ignore-scripts
// Self-contained on purpose (it does not use tools/node_common/jsonl_server.js as
// the other Node.js tools do): $BOILERBENCH_READABILITY_JS_DIR may point at a
// copy of this folder anywhere, with no node_common beside it.
'use strict';

const PROTOCOL = 'jsonl-v1';

function refuseNetwork() {
  const message = 'network disabled by boilerbench';
  const refuse = function () { throw new Error(message); };
  const net = require('node:net');
  net.Socket.prototype.connect = refuse;
  net.connect = refuse;
  net.createConnection = refuse;
  const dns = require('node:dns');
  for (const name of ['lookup', 'resolve', 'resolve4', 'resolve6', 'resolveAny']) {
    dns[name] = refuse;
  }
  globalThis.fetch = () => Promise.reject(new Error(message));
}

function quietConsole() {
  // a library's console.log must never land between two replies
  const toStderr = (...args) => process.stderr.write(args.map(String).join(' ') + '\n');
  console.log = toStderr;
  console.info = toStderr;
  console.debug = toStderr;
  console.warn = toStderr;
}

function main() {
  refuseNetwork();
  quietConsole();
  const { Readability } = require('@mozilla/readability');
  const { JSDOM, VirtualConsole } = require('jsdom');
  const readline = require('node:readline');

  const reply = (obj) => process.stdout.write(JSON.stringify(obj) + '\n');

  function extract(request) {
    // jsdom's own complaints (unparsable CSS and the like) are dropped: they are not the page's text
    const virtualConsole = new VirtualConsole();
    virtualConsole.on('error', () => {});
    virtualConsole.on('jsdomError', () => {});
    const url = request.url && /^https?:\/\//i.test(request.url) ? request.url : 'http://localhost/';
    const dom = new JSDOM(request.html, { url, virtualConsole });
    try {
      const article = new Readability(dom.window.document).parse();
      const field = request.output === 'content' ? 'content' : 'textContent';
      return article && article[field] ? article[field] : '';
    } finally {
      dom.window.close();
    }
  }

  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity, terminal: false });
  lines.on('line', (line) => {
    if (!line.trim()) {
      return;
    }
    let request;
    try {
      request = JSON.parse(line);
    } catch (err) {
      reply({ id: null, error: `request is not JSON (${PROTOCOL}): ${err.message}` });
      return;
    }
    try {
      reply({ id: request.id, text: extract(request) });
    } catch (err) {
      reply({ id: request.id, error: `${err && err.name ? err.name : 'Error'}: ${err && err.message ? err.message : err}` });
    }
  });
  lines.on('close', () => process.exit(0));
}

main();
