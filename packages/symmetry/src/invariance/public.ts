// Named re-exports of the invariance area.
export {};
