"""Fetching: new articles from the outlets named in a sources file, politely, with every raw
response archived. A source of articles for the pipeline, not a stage over them.

    sources.toml ─▶ listings ─▶ article URLs ─▶ pages ─▶ WARC archive (one file a day) ─▶ ingest
    outlets,        RSS/Atom     normalised,     polite   raw responses + what fetch     (`trnews run`,
    feeds,          feeds,       new ones only   HTTP     learnt of each article         the deployment)
    sitemaps        sitemaps     (memory)

- `sources`: the sources file (`SourceSpec`, `load_sources`).
- `http`: the HTTP client: one request at a time per host with a delay, timeouts, a size
  limit, redirects followed one hop at a time (http(s) only, at most `MAX_REDIRECTS`), retries
  with backoff, `Retry-After`, conditional requests; `robots`: robots.txt (RFC 9309) per host.
- `listings`: RSS/Atom feeds (feedparser), sitemaps, sitemap indexes and news sitemaps.
- `urls`: URL normalisation (courlan; tracking parameters dropped) and article ids.
- `store`: what was fetched before (by normalised URL and by text hash) and the validators of
  listings, in the cache folder.
- `archive`: the daily WARC files (warcio), written here and read back by ingest.
- `fetcher`: one fetch over every source (`fetch_sources`), sources in parallel, hosts in
  parallel, each host politely.
"""
