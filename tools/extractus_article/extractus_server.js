#!/usr/bin/env node
// @extractus/article-extractor's extractFromHtml behind boilerbench's JSON-lines protocol.
//
// extractFromHtml(html, url) parses the saved page (linkedom + Mozilla
// Readability) and never fetches it; the output is the article's cleaned
// HTML (`content`), "" when it finds no article. Default options.
// Set up with: npm --prefix tools/extractus_article ci --ignore-scripts
'use strict';

const { serve, pageUrl } = require('../node_common/jsonl_server.js');

serve(() => {
  let extractFromHtml = null;
  return async (request) => {
    if (extractFromHtml === null) {
      ({ extractFromHtml } = await import('@extractus/article-extractor'));
    }
    const article = await extractFromHtml(request.html, pageUrl(request));
    return article && article.content ? article.content : '';
  };
});
