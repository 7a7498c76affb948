// Named re-exports of the correlators area.
export {};
