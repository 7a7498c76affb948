// Named re-exports of the groups area.
export {};
