#!/usr/bin/env node
// @postlight/parser (Mercury) behind boilerbench's JSON-lines protocol.
//
// Parser.parse(url, {html, contentType: 'html', fetchAllPages: false}): the
// saved page is given, so it is never downloaded, and the next pages of a
// paginated article are not fetched. Output: the article's content HTML.
// Set up with: npm --prefix tools/postlight_parser ci --ignore-scripts
'use strict';

const { serve, pageUrl } = require('../node_common/jsonl_server.js');

serve(() => {
  const Parser = require('@postlight/parser');
  return async (request) => {
    const result = await Parser.parse(pageUrl(request), { html: request.html, contentType: 'html', fetchAllPages: false });
    if (result && result.error) {
      throw new Error(result.message || 'parser error');
    }
    return result && result.content ? result.content : '';
  };
});
