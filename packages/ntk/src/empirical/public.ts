// Named re-exports of the empirical area.
export {};
