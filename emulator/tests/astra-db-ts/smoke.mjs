// The emulator's Data API through astra-db-ts, DataStax's TypeScript client.
//
// Usage: node smoke.mjs http://127.0.0.1:8181 [token]
//
// Needs the client pinned in package-lock.json (`npm ci`). Prints one line per checked result
// and exits non-zero on the first mismatch.

import assert from 'node:assert/strict';
import { DataAPIClient, vector } from '@datastax/astra-db-ts';

const KEYSPACE = 'astra_db_ts_smoke';

async function main(url, token) {
  const client = new DataAPIClient({ environment: 'hcd', logging: [{ events: 'all', emits: [] }] });
  const db = client.db(url, { token, keyspace: KEYSPACE });
  const admin = db.admin({ environment: 'hcd' });
  await admin.createKeyspace(KEYSPACE);
  assert.ok((await admin.listKeyspaces()).includes(KEYSPACE));

  const table = await db.createTable('books', {
    definition: {
      columns: {
        title: 'text',
        author: 'text',
        pages: 'int',
        rating: 'double',
        published: 'timestamp',
        tags: { type: 'set', valueType: 'text' },
        extra: { type: 'map', keyType: 'text', valueType: 'int' },
      },
      primaryKey: { partitionBy: ['title'], partitionSort: { author: 1, pages: -1 } },
    },
    ifNotExists: true,
  });
  assert.deepEqual(await db.listTables({ nameOnly: true }), ['books']);

  const published = new Date(Date.UTC(2021, 3, 23, 18, 42, 22));
  const inserted = await table.insertOne({
    title: 'Dune', author: 'Herbert', pages: 412, rating: 4.5, published,
    tags: new Set(['sf', 'classic']), extra: new Map([['a', 1]]),
  });
  assert.deepEqual(inserted.insertedId, { title: 'Dune', author: 'Herbert', pages: 412 });
  const many = await table.insertMany([1, 2, 3, 4, 5].map((pages) => ({ title: 'Dune', author: 'Herbert', pages })));
  assert.equal(many.insertedCount, 5);

  const row = await table.findOne({ title: 'Dune', author: 'Herbert', pages: 412 });
  assert.ok(row);
  assert.equal(row.rating, 4.5);
  assert.equal(new Date(row.published.toString()).getTime(), published.getTime());
  assert.deepEqual([...row.tags].sort(), ['classic', 'sf']);
  assert.deepEqual([...row.extra], [['a', 1]]);
  console.log(`found: ${row.title} by ${row.author}, ${row.pages} pages`);

  const sorted = await table.find({ title: 'Dune' }, { sort: { author: 1, pages: -1 }, projection: { pages: true } }).toArray();
  const pages = sorted.map((r) => r.pages);
  assert.deepEqual(pages, [412, 5, 4, 3, 2, 1]);
  console.log(`sorted pages: ${JSON.stringify(pages)}`);
  // Without a sort the cursor follows nextPageState, so a small server page size is crossed.
  const all = (await table.find({ title: 'Dune' }, { projection: { pages: true } }).toArray()).map((r) => r.pages);
  all.sort((a, b) => a - b);
  assert.deepEqual(all, [1, 2, 3, 4, 5, 412]);
  console.log(`all pages: ${JSON.stringify(all)}`);
  const ascending = (await table.find({ title: 'Dune' }, { sort: { pages: 1 }, limit: 3 }).toArray()).map((r) => r.pages);
  assert.deepEqual(ascending, [1, 2, 3]);
  console.log(`in-memory sort: ${JSON.stringify(ascending)}`);

  await table.updateOne({ title: 'Dune', author: 'Herbert', pages: 1 }, { $set: { rating: 1.5 } });
  const updated = await table.findOne({ title: 'Dune', author: 'Herbert', pages: 1 });
  assert.equal(updated?.rating, 1.5);
  console.log(`updated rating: ${updated.rating}`);

  await table.deleteOne({ title: 'Dune', author: 'Herbert', pages: 1 });
  assert.equal(await table.findOne({ title: 'Dune', author: 'Herbert', pages: 1 }), null);
  await table.deleteMany({ title: 'Dune' });
  assert.equal(await table.findOne({}), null);
  console.log('deleted: all');
  await table.drop();

  const vectors = await db.createTable('docs', {
    definition: { columns: { id: 'int', v: { type: 'vector', dimension: 2 } }, primaryKey: 'id' },
  });
  await vectors.createVectorIndex('docs_v', 'v', { options: { metric: 'dot_product' } });
  await vectors.insertMany([{ id: 1, v: vector([1, 0]) }, { id: 2, v: vector([0, 1]) }]);
  const nearest = await vectors.find({}, { sort: { v: vector([0, 1]) }, limit: 1, includeSimilarity: true }).toArray();
  assert.deepEqual(nearest.map((r) => r.id), [2]);
  assert.equal(nearest[0].$similarity, 1);
  console.log(`nearest: ${nearest[0].id} similarity ${nearest[0].$similarity}`);
  await vectors.drop();
  await admin.dropKeyspace(KEYSPACE);
  await client.close();
  console.log('astra-db-ts smoke test passed');
}

await main(process.argv[2], process.argv[3] ?? 'Cassandra:Y2Fzc2FuZHJh:Y2Fzc2FuZHJh');
