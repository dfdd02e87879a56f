// The price table: every price names its region, date, source and AWS's words; the lookup
// falls back to us-east-1 and says so.
import * as assert from "node:assert/strict";
import {
  BUDGET_DAY,
  NAT_GATEWAY_HOUR,
  priceIn,
  PUBLIC_IPV4_HOUR,
  S3_GATEWAY_ENDPOINT_HOUR,
  S3_STANDARD_GB_MONTH,
} from "../../reports/prices";

const TABLES = {
  NAT_GATEWAY_HOUR,
  PUBLIC_IPV4_HOUR,
  S3_STANDARD_GB_MONTH,
  S3_GATEWAY_ENDPOINT_HOUR,
  BUDGET_DAY,
};

describe("list prices", () => {
  for (const [table, prices] of Object.entries(TABLES)) {
    it(`${table}: each price is keyed by its own region and cites an https source, a date and a quote`, () => {
      assert.ok(Object.keys(prices).length > 0);
      for (const [region, p] of Object.entries(prices)) {
        assert.equal(p.region, region);
        assert.match(p.source, /^https:\/\/[a-z0-9.-]+\.amazon(aws)?\.com\//);
        assert.match(p.asOf, /^\d{4}-\d{2}(-\d{2})?$/);
        assert.ok(p.quote.length > 0);
        assert.ok(p.usd >= 0);
        // Every region-specific table can fall back to us-east-1.
        if (region !== "all") assert.ok(prices["us-east-1"] !== undefined);
      }
    });
  }

  it("looks a price up for a region: its own, the every-region one, else us-east-1's marked as a fallback", () => {
    assert.deepEqual(priceIn(NAT_GATEWAY_HOUR, "eu-west-1"), {
      price: NAT_GATEWAY_HOUR["eu-west-1"],
      fallback: false,
    });
    assert.deepEqual(priceIn(NAT_GATEWAY_HOUR, "ca-central-1"), {
      price: NAT_GATEWAY_HOUR["us-east-1"],
      fallback: true,
    });
    assert.deepEqual(priceIn(S3_GATEWAY_ENDPOINT_HOUR, "ap-south-1"), {
      price: S3_GATEWAY_ENDPOINT_HOUR.all,
      fallback: false,
    });
  });

  it("has the figures the research confirmed", () => {
    assert.deepEqual(
      Object.entries(NAT_GATEWAY_HOUR).map(([r, p]) => [r, p.usd]),
      [
        ["us-east-1", 0.045],
        ["us-east-2", 0.045],
        ["eu-west-1", 0.048],
      ],
    );
    assert.equal(PUBLIC_IPV4_HOUR["us-east-1"].usd, 0.005);
    assert.equal(S3_STANDARD_GB_MONTH["us-east-1"].usd, 0.023);
    assert.equal(BUDGET_DAY.all.usd, 0);
  });
});
