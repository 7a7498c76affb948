// Named re-exports of the inputs area.
export {};
