// Named re-exports of the intertwiners area.
export {};
