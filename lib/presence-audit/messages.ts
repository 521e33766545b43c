import type { Lang } from "./audit-input.schema";
import { type Currency, currencyDecimals } from "./rates";
import type { ActionId } from "./stored";

/**
 * Fixed locales (not es-MX, en-GB…) so the same stored audit renders the same
 * text on every server; currency symbols still follow the currency asked for.
 */
export const LOCALES: Readonly<Record<Lang, string>> = { es: "es-ES", en: "en-US" };

export function formatMoney(amount: number, currency: Currency, lang: Lang): string {
  const digits = currencyDecimals(currency);
  return new Intl.NumberFormat(LOCALES[lang], {
    style: "currency",
    currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(amount);
}

export function formatNumber(value: number, lang: Lang, decimals = 0): string {
  return new Intl.NumberFormat(LOCALES[lang], {
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
  }).format(value);
}

export function formatPercent(fraction: number, lang: Lang): string {
  return new Intl.NumberFormat(LOCALES[lang], { style: "percent", maximumFractionDigits: 0 }).format(fraction);
}

export interface MessageContext {
  lang: Lang;
  currency: Currency;
  /** Already converted and rounded to `currency`. */
  revenueMonthly: number;
}

type Params = Readonly<Record<string, number>>;
interface Fmt {
  n: (key: string, decimals?: number) => string;
  /** Count with its noun in singular or plural: "1 reseña", "38 reseñas". */
  c: (key: string, one: string, many: string) => string;
  pct: (key: string) => string;
  v: (key: string) => number;
  has: (key: string) => boolean;
}
interface Template {
  title: string;
  detail: (f: Fmt) => string;
}

const ES: Record<ActionId, Template> = {
  improve_rating: {
    title: "Mejora tu valoración media",
    detail: (f) =>
      `Tu valoración es de ${f.n("current", 1)} estrellas` +
      (f.has("competitor_avg") ? ` y la de tu competencia, de ${f.n("competitor_avg", 1)}.` : ".") +
      ` Identifica las quejas que se repiten en las reseñas, corrígelas y anima a tus clientes satisfechos a opinar para acercarte a ${f.n("target", 1)}.`,
  },
  get_reviews: {
    title: "Consigue más reseñas",
    detail: (f) =>
      `Tienes ${f.c("current", "reseña", "reseñas")}` +
      (f.has("competitor_typical") ? `; tus competidores suelen tener unas ${f.n("competitor_typical")}.` : ".") +
      ` Pide una reseña a cada cliente satisfecho (con un enlace directo o un código QR en el local) hasta llegar a ${f.n("target")}.`,
  },
  add_photos: {
    title: "Añade más fotos",
    detail: (f) =>
      `Tu ficha tiene ${f.c("current", "foto", "fotos")}` +
      (f.has("competitor_typical") ? ` y las de tu competencia, unas ${f.n("competitor_typical")}.` : ".") +
      ` Sube al menos ${f.n("target")} fotos actuales y de calidad: fachada, interior, productos y equipo.`,
  },
  respond_reviews: {
    title: "Responde a tus reseñas",
    detail: (f) =>
      `Solo respondes al ${f.pct("current")} de las reseñas. Contesta a todas, también a las negativas, en menos de 48 horas: los clientes leen las respuestas antes de decidir.`,
  },
  post_updates: {
    title: "Publica novedades con regularidad",
    detail: (f) =>
      `Has hecho ${f.c("current", "publicación", "publicaciones")} en los últimos 90 días. Publica al menos una vez por semana (${f.n("target")} por trimestre): ofertas, eventos y novedades.`,
  },
  add_website: {
    title: "Añade tu sitio web",
    detail: () => "Tu ficha no enlaza a ninguna web. Añade una, aunque sea una página sencilla con tu carta o catálogo, para que los clientes puedan informarse y reservar.",
  },
  add_hours: {
    title: "Indica tu horario",
    detail: () => "Tu ficha no muestra el horario, y muchos clientes descartan un negocio si no saben si está abierto. Añade el horario habitual y los días festivos.",
  },
  add_phone: {
    title: "Añade un teléfono de contacto",
    detail: () => "Sin teléfono pierdes las llamadas que se hacen directamente desde la búsqueda. Añade un número que se atienda en horario comercial.",
  },
  improve_description: {
    title: "Mejora la descripción",
    detail: (f) =>
      `Tu descripción tiene ${f.c("current", "carácter", "caracteres")}. Escribe al menos ${f.n("target")}: qué ofreces, dónde estás y qué te diferencia, con las palabras que usan tus clientes al buscar.`,
  },
  maintain_reviews: {
    title: "Mantén el ritmo de reseñas",
    detail: () => "Sigue pidiendo reseñas y respondiéndolas: las recientes pesan más que las antiguas para los clientes y para el buscador.",
  },
  maintain_photos: {
    title: "Renueva tus fotos",
    detail: () => "Sube fotos nuevas cada mes para que tu ficha refleje cómo es hoy tu negocio.",
  },
  monitor_competitors: {
    title: "Vigila a tu competencia",
    detail: (f) =>
      f.v("competitors") === 1
        ? "Revisa cada mes la valoración, las reseñas y las fotos de tu competidor para no quedarte atrás."
        : f.v("competitors") > 1
          ? `Revisa cada mes la valoración, las reseñas y las fotos de tus ${f.n("competitors")} competidores para no quedarte atrás.`
          : "Repite esta auditoría cada mes e incluye a tus competidores cercanos para compararte con ellos.",
  },
};

const EN: Record<ActionId, Template> = {
  improve_rating: {
    title: "Improve your average rating",
    detail: (f) =>
      `Your rating is ${f.n("current", 1)} stars` +
      (f.has("competitor_avg") ? ` against ${f.n("competitor_avg", 1)} for your competitors.` : ".") +
      ` Find the complaints that keep coming up in reviews, fix them and encourage happy customers to leave feedback to move towards ${f.n("target", 1)}.`,
  },
  get_reviews: {
    title: "Get more reviews",
    detail: (f) =>
      `You have ${f.c("current", "review", "reviews")}` +
      (f.has("competitor_typical") ? `; your competitors typically have about ${f.n("competitor_typical")}.` : ".") +
      ` Ask every satisfied customer for a review (with a direct link or a QR code on site) until you reach ${f.n("target")}.`,
  },
  add_photos: {
    title: "Add more photos",
    detail: (f) =>
      `Your profile has ${f.c("current", "photo", "photos")}` +
      (f.has("competitor_typical") ? ` and your competitors about ${f.n("competitor_typical")}.` : ".") +
      ` Upload at least ${f.n("target")} recent, good-quality photos: storefront, interior, products and team.`,
  },
  respond_reviews: {
    title: "Reply to your reviews",
    detail: (f) =>
      `You reply to only ${f.pct("current")} of reviews. Answer all of them, including negative ones, within 48 hours: customers read replies before they decide.`,
  },
  post_updates: {
    title: "Post updates regularly",
    detail: (f) =>
      `You have made ${f.c("current", "post", "posts")} in the last 90 days. Post at least once a week (${f.n("target")} per quarter): offers, events and news.`,
  },
  add_website: {
    title: "Add your website",
    detail: () => "Your profile does not link to a website. Add one, even a simple page with your menu or catalogue, so customers can find out more and book.",
  },
  add_hours: {
    title: "Add your opening hours",
    detail: () => "Your profile shows no opening hours, and many customers skip a business when they cannot tell whether it is open. Add your regular and holiday hours.",
  },
  add_phone: {
    title: "Add a contact phone number",
    detail: () => "Without a phone number you miss calls made straight from search. Add a number that is answered during business hours.",
  },
  improve_description: {
    title: "Improve your description",
    detail: (f) =>
      `Your description is ${f.c("current", "character", "characters")} long. Write at least ${f.n("target")}: what you offer, where you are and what sets you apart, using the words your customers search with.`,
  },
  maintain_reviews: {
    title: "Keep reviews coming in",
    detail: () => "Keep asking for reviews and replying to them: recent reviews matter more than old ones to customers and to search.",
  },
  maintain_photos: {
    title: "Refresh your photos",
    detail: () => "Upload new photos every month so your profile shows your business as it is today.",
  },
  monitor_competitors: {
    title: "Keep an eye on your competitors",
    detail: (f) =>
      f.v("competitors") === 1
        ? "Check your competitor's rating, reviews and photos every month so you do not fall behind."
        : f.v("competitors") > 1
          ? `Check the rating, reviews and photos of your ${f.n("competitors")} competitors every month so you do not fall behind.`
          : "Run this audit every month and include your nearby competitors to compare yourself against them.",
  },
};

const TEMPLATES: Readonly<Record<Lang, Record<ActionId, Template>>> = { es: ES, en: EN };

const VALUE_SUFFIX: Readonly<Record<Lang, (money: string) => string>> = {
  es: (m) => ` Valor estimado: ${m} al mes.`,
  en: (m) => ` Estimated value: ${m} per month.`,
};

export function renderActionText(id: ActionId, params: Params, ctx: MessageContext): { title: string; detail: string } {
  const { lang } = ctx;
  const fmt: Fmt = {
    n: (key, decimals = 0) => formatNumber(params[key] ?? 0, lang, decimals),
    c: (key, one, many) => `${formatNumber(params[key] ?? 0, lang)} ${(params[key] ?? 0) === 1 ? one : many}`,
    // Floor so 99.6 % is never shown as "100 %" next to advice to reply more.
    pct: (key) => formatPercent(Math.floor((params[key] ?? 0) * 100) / 100, lang),
    v: (key) => params[key] ?? 0,
    has: (key) => params[key] !== undefined,
  };
  const template = TEMPLATES[lang][id];
  const suffix = ctx.revenueMonthly > 0 ? VALUE_SUFFIX[lang](formatMoney(ctx.revenueMonthly, ctx.currency, lang)) : "";
  return { title: template.title, detail: template.detail(fmt) + suffix };
}
