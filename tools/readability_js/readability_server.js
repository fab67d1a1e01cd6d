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
// the shared server (tools/node_common/jsonl_server.js) refuses sockets, DNS,
// http(s) and fetch before jsdom is loaded. The harness also runs this process
// in a network namespace of its own where the system allows.
// Set up with: npm --prefix tools/readability_js ci --ignore-scripts
'use strict';

const { serve, pageUrl } = require('../node_common/jsonl_server.js');

serve(() => {
  const { Readability } = require('@mozilla/readability');
  const { JSDOM, VirtualConsole } = require('jsdom');
  return (request) => {
    // jsdom's own complaints (unparsable CSS and the like) are dropped: they are not the page's text
    const virtualConsole = new VirtualConsole();
    virtualConsole.on('error', () => {});
    virtualConsole.on('jsdomError', () => {});
    const dom = new JSDOM(request.html, { url: pageUrl(request), virtualConsole });
    try {
      const article = new Readability(dom.window.document).parse();
      const field = request.output === 'content' ? 'content' : 'textContent';
      return article && article[field] ? article[field] : '';
    } finally {
      dom.window.close();
    }
  };
});
