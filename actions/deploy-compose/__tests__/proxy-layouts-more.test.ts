// The second half of proxy-layouts.test.ts's cases (Nginx with a resolver, HAProxy, the host-path Nginx, Nginx on
// a Compose v1 host), in a file of its own so that jest runs both halves at once.
import './fixtures/proxy-layouts-part-2';
import './proxy-layouts.test';
