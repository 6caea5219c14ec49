/* GraphiQL for dxgraph: example tabs, the API key from the address, deep links
   (`?q=`, `&variables=`, `&autorun=1`). Reads the JSON config the server puts in the page. */
(function () {
  var e = React.createElement;
  var config = JSON.parse(document.getElementById("dxgraph-config").textContent);
  var storage = null;
  try { storage = window.localStorage; } catch (err) { storage = null; }
  var read = dxgraphReadApiKey(window.location, storage || {
    getItem: function () { return null; }, setItem: function () {}, removeItem: function () {},
  });
  if (read.cleanUrl !== null) { window.history.replaceState(null, "", read.cleanUrl); }

  var params = new URLSearchParams(window.location.search);
  var linkedQuery = params.get("q");
  var linkedVariables = params.get("variables");
  var autorun = ["1", "true", "yes"].indexOf(String(params.get("autorun")).toLowerCase()) >= 0;

  var baseFetcher = GraphiQL.createFetcher({
    url: window.location.origin + window.location.pathname,
  });
  function fetcher(graphQLParams, options) {
    var headers = dxgraphRequestHeaders(read.apiKey, options && options.headers, config);
    return baseFetcher(graphQLParams, Object.assign({}, options, { headers: headers }));
  }

  var tabs = config.tabs.slice();
  if (linkedQuery) {
    tabs.unshift({
      query: linkedQuery, variables: linkedVariables, headers: config.headersTemplate,
    });
  }

  // Runs the linked query once the editors exist (a component inside GraphiQL's providers).
  function AutoRun() {
    var editors = GraphiQL.React.useEditorContext({ nonNull: true });
    var execution = GraphiQL.React.useExecutionContext({ nonNull: true });
    var started = React.useRef(false);
    React.useEffect(function () {
      if (!autorun || started.current) { return; }
      if (!editors.queryEditor || !editors.responseEditor) { return; }
      started.current = true;
      var ast = null;
      try {
        ast = GraphiQL.GraphQL.parse(editors.queryEditor.getValue());
      } catch (err) {
        ast = null;
      }
      if (ast && dxgraphCanAutorun(ast)) { execution.run(); }
    });
    return null;
  }

  var explorer = GraphiQLPluginExplorer.explorerPlugin();
  var props = {
    fetcher: fetcher,
    defaultTabs: tabs,
    defaultEditorToolsVisibility: true,
    plugins: [explorer],
    inputValueDeprecation: true,
    isHeadersEditorEnabled: true,
    shouldPersistHeaders: false,
    toolbar: { additionalComponent: AutoRun },
  };
  if (config.headersTemplate) { props.defaultHeaders = config.headersTemplate; }
  if (linkedQuery) {
    props.query = linkedQuery;
    if (linkedVariables) { props.variables = linkedVariables; }
  }
  ReactDOM.createRoot(document.getElementById("graphiql")).render(e(GraphiQL, props));
})();
