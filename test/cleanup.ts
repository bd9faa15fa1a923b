/**
 * Resources a test opened, released after it whether it passed or failed: an open socket or
 * server left behind by a failed assertion would keep the test process alive, and the run would hang.
 */
import { afterEach } from 'node:test';

type Resource = { close(): unknown } | { destroy(): unknown };

/** Call once per test file (or describe block); returns `track(resource)`, which returns the resource. */
export function closeAfterEach(): <T extends Resource>(resource: T) => T {
  const open: Resource[] = [];
  afterEach(async () => {
    for (const resource of open.splice(0).reverse()) await ('close' in resource ? resource.close() : resource.destroy());
  });
  return (resource) => {
    open.push(resource);
    return resource;
  };
}
