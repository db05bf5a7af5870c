/** ConvNetJS 0.3 ships no types; the benchmark uses a handful of its classes through `any`. */
declare module 'convnetjs';
