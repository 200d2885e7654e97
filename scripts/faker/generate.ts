/**
 * Pure generation of live activity: a seeded PRNG (Faker) drawing operations against the model, which it
 * updates as it goes. The same seed and starting model always give the same operations; nothing here reads a
 * clock or the database.
 *
 * @module
 */
import type { Faker } from "@faker-js/faker";
import { Decimal } from "../../pipeline/value/mod.ts";
import { cents, customerAddresses, customerEmail, phoneNumber, seededFaker } from "../setup/mod.ts";
import { type CustomerState, DELIVERED_CAP, type FakerModel, type OrderState } from "./model.ts";
import {
  DEFAULT_WEIGHTS,
  type Operation,
  type OperationKind,
  type OperationWeights,
  type OrderLine,
} from "./operation.ts";

const CANCEL_REASONS = [
  "Customer changed their mind",
  "Found a better price elsewhere",
  "Ordered by mistake",
  "Delivery date too late",
  "Payment could not be completed",
];
const RETURN_REASONS = [
  "Item arrived damaged",
  "Wrong size",
  "Not as described",
  "Received the wrong item",
  "No longer needed",
];
const RATINGS = [
  { weight: 7, value: 1 },
  { weight: 8, value: 2 },
  { weight: 15, value: 3 },
  { weight: 30, value: 4 },
  { weight: 40, value: 5 },
];
const MAX_CART_ITEMS = 5;

/** Options of {@linkcode OperationGenerator}. */
export interface GeneratorOptions {
  /** PRNG seed: the same seed and model give the same operations. @default 1 */
  seed?: number;
  /** Relative frequency of each kind. @default DEFAULT_WEIGHTS */
  weights?: Partial<OperationWeights>;
}

/** Draws operations one by one, keeping `model` in step with what they do. */
export class OperationGenerator {
  #model: FakerModel;
  #f: Faker;
  #weights: [OperationKind, number][];

  constructor(model: FakerModel, options: GeneratorOptions = {}) {
    this.#model = model;
    this.#f = seededFaker(options.seed ?? 1);
    const w = { ...DEFAULT_WEIGHTS, ...options.weights };
    this.#weights = (Object.keys(DEFAULT_WEIGHTS) as OperationKind[])
      .map((k): [OperationKind, number] => [k, w[k]])
      .filter(([, weight]) => {
        if (!(weight >= 0) || !Number.isFinite(weight)) {
          throw new RangeError(`Cannot use weight ${weight}: weights are finite numbers ≥ 0`);
        }
        return weight > 0;
      });
    if (this.#weights.length === 0) throw new RangeError("Cannot generate operations: every weight is 0");
  }

  /** The model the generator draws from and updates. */
  get model(): FakerModel {
    return this.#model;
  }

  /** Continues from `model` (e.g. reloaded from the database after a failed operation); the PRNG goes on. */
  useModel(model: FakerModel): void {
    this.#model = model;
  }

  /** The next operation (already applied to the model). */
  next(): Operation {
    let candidates = this.#weights;
    while (candidates.length > 0) {
      const total = candidates.reduce((s, [, w]) => s + w, 0);
      let r = this.#f.number.float({ min: 0, max: total });
      let kind = candidates[candidates.length - 1][0];
      for (const [k, w] of candidates) {
        if (r < w) {
          kind = k;
          break;
        }
        r -= w;
      }
      const op = this.#build(kind);
      if (op) return op;
      candidates = candidates.filter(([k]) => k !== kind);
    }
    // Everything else is infeasible (e.g. no stock and no orders): a new customer always is.
    return this.#newCustomer();
  }

  #int(min: number, max: number): number {
    return this.#f.number.int({ min, max });
  }

  #pick<T extends { id: number }>(set: { size: number; at(i: number): T }): T | null {
    return set.size === 0 ? null : set.at(this.#int(0, set.size - 1));
  }

  #build(kind: OperationKind): Operation | null {
    switch (kind) {
      case "newCustomer":
        return this.#newCustomer();
      case "updateCustomer":
        return this.#updateCustomer();
      case "deleteCustomer":
        return this.#deleteCustomer();
      case "addToCart":
        return this.#addToCart();
      case "newOrder":
        return this.#newOrder();
      case "shipOrder":
        return this.#advance("shipOrder");
      case "deliverOrder":
        return this.#advance("deliverOrder");
      case "cancelOrder":
        return this.#takeBack("cancelOrder");
      case "returnOrder":
        return this.#takeBack("returnOrder");
      case "changePrice":
        return this.#changePrice();
      case "restock":
        return this.#restock();
      case "review":
        return this.#review();
    }
  }

  #newCustomer(): Operation {
    const m = this.model;
    const id = m.nextId.Customers++;
    const name = this.#f.person.fullName().slice(0, 100);
    const customer = {
      CustomerID: id,
      Name: name,
      Email: customerEmail(this.#f, name, id),
      PhoneNumber: phoneNumber(this.#f),
    };
    const addresses = customerAddresses(this.#f, id, m.nextId.Addresses);
    m.nextId.Addresses += addresses.length;
    m.customers.add({
      id,
      name,
      email: customer.Email,
      phone: customer.PhoneNumber,
      orders: 0,
      reviews: 0,
      addressIds: addresses.map((a) => Number(a.AddressID)),
      cartId: null,
    });
    return { kind: "newCustomer", customer, addresses };
  }

  #updateCustomer(): Operation | null {
    const c = this.#pick(this.model.customers);
    if (!c) return null;
    const set: { Name?: string; Email?: string; PhoneNumber?: string } = {};
    const r = this.#int(0, 99);
    // Every field set differs from the current value: an update always changes the row (one CDC event).
    if (r < 20) {
      // A name change (marriage, correction) usually comes with a new email.
      let name = this.#f.person.fullName().slice(0, 100);
      if (name === c.name) name = `${name.slice(0, 98)} J`;
      set.Name = name;
      c.name = name;
    }
    if (r < 20 || r >= 50) {
      let email = customerEmail(this.#f, c.name, c.id);
      if (email === c.email) email = `x${email}`.slice(0, 100);
      set.Email = email;
      c.email = email;
    }
    if (r >= 20 && r < 80) {
      let phone = phoneNumber(this.#f);
      if (phone === c.phone) {
        phone = phone.endsWith("1") ? `${phone.slice(0, -1)}2` : `${phone.slice(0, -1)}1`;
      }
      set.PhoneNumber = phone;
      c.phone = phone;
    }
    return { kind: "updateCustomer", customerId: c.id, set };
  }

  #deleteCustomer(): Operation | null {
    let c: CustomerState | null = null;
    for (let i = 0; i < 8 && !c; i++) {
      const cand = this.#pick(this.model.customers);
      if (cand && cand.orders === 0 && cand.reviews === 0) c = cand;
    }
    if (!c) return null;
    const cart = c.cartId === null ? undefined : this.model.carts.get(c.cartId);
    const cartItemIds = cart ? [...cart.items.values()].map((i) => i.id) : [];
    this.model.customers.remove(c.id);
    if (cart) this.model.carts.delete(cart.id);
    return {
      kind: "deleteCustomer",
      customerId: c.id,
      addressIds: c.addressIds,
      cartId: c.cartId,
      cartItemIds,
    };
  }

  #addToCart(): Operation | null {
    const m = this.model;
    const c = this.#pick(m.customers);
    const p = this.#pick(m.products);
    if (!c || !p) return null;
    let newCartId: number | null = null;
    let cart = c.cartId === null ? undefined : m.carts.get(c.cartId);
    if (!cart) {
      newCartId = m.nextId.ShoppingCarts++;
      cart = { id: newCartId, customerId: c.id, items: new Map() };
      m.carts.set(cart.id, cart);
      c.cartId = cart.id;
    }
    let productId = p.id;
    let existing = cart.items.get(productId);
    if (!existing && cart.items.size >= MAX_CART_ITEMS) {
      const keys = [...cart.items.keys()];
      productId = keys[this.#int(0, keys.length - 1)];
      existing = cart.items.get(productId);
    }
    let item;
    if (existing) {
      existing.quantity += this.#int(1, 2);
      item = { cartItemId: existing.id, productId, quantity: existing.quantity, existing: true };
    } else {
      const id = m.nextId.CartItems++;
      const quantity = this.#int(1, 3);
      cart.items.set(productId, { id, quantity });
      item = { cartItemId: id, productId, quantity, existing: false };
    }
    return { kind: "addToCart", customerId: c.id, newCartId, cartId: cart.id, item };
  }

  #newOrder(): Operation | null {
    const m = this.model;
    const c = this.#pick(m.customers);
    if (!c) return null;
    const cart = c.cartId === null ? undefined : m.carts.get(c.cartId);
    const wanted: { productId: number; quantity: number | null; cartItemId: number | null }[] = [];
    if (cart && cart.items.size > 0) {
      for (const [productId, it] of cart.items) {
        wanted.push({ productId, quantity: it.quantity, cartItemId: it.id });
      }
    } else {
      const count = this.#int(1, 5);
      const seen = new Set<number>();
      for (let i = 0; i < count * 3 && wanted.length < count; i++) {
        const p = this.#pick(m.products);
        if (p && !seen.has(p.id)) {
          seen.add(p.id);
          wanted.push({ productId: p.id, quantity: null, cartItemId: null });
        }
      }
    }
    const lines: OrderLine[] = [];
    const bought: number[] = [];
    for (const w of wanted.slice(0, 5)) {
      const p = m.products.get(w.productId);
      const inStock = p?.inventory.filter((i) => i.stock > 0) ?? [];
      if (!p || inStock.length === 0) continue;
      const inv = inStock[this.#int(0, inStock.length - 1)];
      const quantity = Math.min(w.quantity ?? this.#int(1, 3), inv.stock);
      lines.push({ orderItemId: 0, productId: p.id, inventoryId: inv.id, quantity, price: p.price });
      inv.stock -= quantity;
      if (w.cartItemId !== null) bought.push(w.cartItemId);
    }
    if (lines.length === 0) return null;
    const orderId = m.nextId.Orders++;
    for (const l of lines) l.orderItemId = m.nextId.OrderItems++;
    if (cart) {
      for (const [productId, it] of [...cart.items]) if (bought.includes(it.id)) cart.items.delete(productId);
    }
    const total = lines.reduce((s, l) => s.add(l.price.mul(new Decimal(BigInt(l.quantity), 0))), cents(0));
    const methods = m.paymentMethodIds;
    const payment = { paymentId: m.nextId.Payments++, methodId: methods[this.#int(0, methods.length - 1)] };
    c.orders++;
    m.ordered.add({
      id: orderId,
      customerId: c.id,
      items: lines.map((l) => ({ productId: l.productId, inventoryId: l.inventoryId, quantity: l.quantity })),
    });
    return {
      kind: "newOrder",
      orderId,
      orderNumber: `ORD-${String(orderId).padStart(8, "0")}`,
      customerId: c.id,
      total,
      lines,
      payment,
      cartItemIds: bought,
    };
  }

  #advance(kind: "shipOrder" | "deliverOrder"): Operation | null {
    const m = this.model;
    const [from, to] = kind === "shipOrder" ? [m.ordered, m.shipped] : [m.shipped, m.delivered];
    const o = this.#pick(from);
    if (!o) return null;
    from.remove(o.id);
    to.add(o);
    if (to === m.delivered && m.delivered.size > DELIVERED_CAP) {
      // Forget an old delivered order: it can no longer be returned or reviewed by the faker.
      m.delivered.remove(m.delivered.at(this.#int(0, m.delivered.size - 1)).id);
    }
    return { kind, orderId: o.id };
  }

  #takeBack(kind: "cancelOrder" | "returnOrder"): Operation | null {
    const m = this.model;
    const from = kind === "cancelOrder" ? m.ordered : m.delivered;
    const o: OrderState | null = this.#pick(from);
    if (!o) return null;
    from.remove(o.id);
    const restock: { inventoryId: number; quantity: number }[] = [];
    for (const it of o.items) {
      const p = m.products.get(it.productId);
      const inv = (it.inventoryId !== null ? m.inventory.get(it.inventoryId) : undefined) ?? p?.inventory[0];
      if (!inv || restock.some((r) => r.inventoryId === inv.id)) continue;
      inv.stock += it.quantity;
      restock.push({ inventoryId: inv.id, quantity: it.quantity });
    }
    const reasons = kind === "cancelOrder" ? CANCEL_REASONS : RETURN_REASONS;
    return {
      kind,
      orderId: o.id,
      reasonId: m.nextId.Reasons++,
      reason: reasons[this.#int(0, reasons.length - 1)],
      restock,
    };
  }

  #changePrice(): Operation | null {
    const p = this.#pick(this.model.products);
    if (!p) return null;
    const old = Number(p.price.unscaled);
    let next = Math.max(100, Math.round(old * this.#int(80, 125) / 100));
    if (next === old) next = old + 1;
    p.price = cents(next);
    return { kind: "changePrice", productId: p.id, price: p.price };
  }

  #restock(): Operation | null {
    let inv = null;
    for (let i = 0; i < 8; i++) {
      inv = this.#pick(this.model.inventory);
      if (!inv || inv.stock < inv.threshold) break;
    }
    if (!inv) return null;
    const quantity = this.#int(50, 500);
    inv.stock += quantity;
    return { kind: "restock", inventoryId: inv.id, quantity };
  }

  #review(): Operation | null {
    const m = this.model;
    const o = this.#pick(m.delivered);
    const customer = o?.customerId == null ? undefined : m.customers.get(o.customerId);
    if (!o || !customer || o.items.length === 0) return null;
    const item = o.items[this.#int(0, o.items.length - 1)];
    const rating = this.#f.helpers.weightedArrayElement(RATINGS);
    const comment = this.#int(0, 4) === 0
      ? ""
      : `${rating >= 4 ? "Really" : "Not very"} ${this.#f.word.adjective()}, ${this.#f.word.words(3)}.`;
    customer.reviews++;
    return {
      kind: "review",
      reviewId: m.nextId.Reviews++,
      productId: item.productId,
      customerId: customer.id,
      rating,
      comment,
    };
  }
}

/** The first `count` operations of a generator over `model` (which it updates). */
export function generateOperations(
  model: FakerModel,
  count: number,
  options: GeneratorOptions = {},
): Operation[] {
  const g = new OperationGenerator(model, options);
  return Array.from({ length: count }, () => g.next());
}
