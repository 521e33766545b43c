import { describe, expect, it } from "vitest";
import { parseForm } from "./form";

describe("parseForm", () => {
  it("decodes the SDK's bracket paths into objects and arrays", () => {
    const f = parseForm("mode=subscription&line_items%5B0%5D%5Bprice%5D=price_1&line_items%5B1%5D%5Bprice%5D=price_2&subscription_data%5Btrial_period_days%5D=15&expand%5B%5D=a&expand%5B%5D=b");
    expect(f).toEqual({ mode: "subscription", line_items: [{ price: "price_1" }, { price: "price_2" }], subscription_data: { trial_period_days: "15" }, expand: ["a", "b"] });
  });
});
