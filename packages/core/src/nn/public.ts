// Named re-exports of the nn area.
export {};
