#!/usr/bin/env node
// Defuddle on linkedom behind boilerbench's JSON-lines protocol (tools/node_common/jsonl_server.js).
//
// Output: Defuddle's Markdown (options.markdown = true; its turndown-based
// converter), with useAsync = false so it never asks a third-party API for
// content the saved page lacks. Everything else is Defuddle's default.
// Set up with: npm --prefix tools/defuddle ci --ignore-scripts
'use strict';

const { serve, pageUrl } = require('../node_common/jsonl_server.js');

serve(() => {
  const { parseHTML } = require('linkedom');
  let Defuddle = null;
  return async (request) => {
    if (Defuddle === null) {
      ({ Defuddle } = await import('defuddle/node'));
    }
    const { document } = parseHTML(request.html);
    const result = await Defuddle(document, pageUrl(request), { markdown: true, useAsync: false });
    return result && result.content ? result.content : '';
  };
});
