/* The page's own logic, free of the DOM and of React so that tests can run it under Node
   (page.js uses it). */
var DXGRAPH_STORAGE_KEY = "dxgraph:apiKey";

/* The API key for this page: `?apiKey=` or `#apiKey=` (then saved in `storage` and removed from
   the address: `cleanUrl`), else the key saved before. An empty `apiKey=` forgets the key. */
function dxgraphReadApiKey(location, storage) {
  var search = new URLSearchParams(location.search);
  var hash = new URLSearchParams(String(location.hash || "").replace(/^#/, ""));
  var given = search.has("apiKey") ? search.get("apiKey")
    : hash.has("apiKey") ? hash.get("apiKey") : null;
  if (given === null) {
    var saved = null;
    try { saved = storage.getItem(DXGRAPH_STORAGE_KEY); } catch (err) { saved = null; }
    return { apiKey: saved || null, cleanUrl: null };
  }
  search.delete("apiKey");
  hash.delete("apiKey");
  try {
    if (given) { storage.setItem(DXGRAPH_STORAGE_KEY, given); }
    else { storage.removeItem(DXGRAPH_STORAGE_KEY); }
  } catch (err) { /* storage disabled: the key lasts as long as the page */ }
  var rest = search.toString(), fragment = hash.toString();
  return {
    apiKey: given || null,
    cleanUrl: location.pathname + (rest ? "?" + rest : "") + (fragment ? "#" + fragment : ""),
  };
}

/* The headers of one request: the page's API key as `X-API-Key`, then the header editor's
   headers on top (a header the editor sets replaces the page's, whatever its case), except
   values still holding a placeholder such as "<your key>", which are never sent. */
function dxgraphRequestHeaders(apiKey, editorHeaders, config) {
  var headers = {};
  if (apiKey) { headers[config.apiKeyHeader] = apiKey; }
  var given = editorHeaders || {};
  Object.keys(given).forEach(function (name) {
    var value = given[name];
    if (typeof value === "string" && config.placeholders.some(function (p) {
      return value.indexOf(p) >= 0;
    })) { return; }
    Object.keys(headers).forEach(function (have) {
      if (have.toLowerCase() === name.toLowerCase()) { delete headers[have]; }
    });
    headers[name] = value;
  });
  return headers;
}

/* Whether a link may run its document on load: exactly one operation, and a query. */
function dxgraphCanAutorun(documentAst) {
  var operations = (documentAst.definitions || []).filter(function (definition) {
    return typeof definition.operation === "string";
  });
  return operations.length === 1 && operations[0].operation === "query";
}
