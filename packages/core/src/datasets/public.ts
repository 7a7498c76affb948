// Named re-exports of the datasets area.
export {};
