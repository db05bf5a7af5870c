/**
 * Exercise 5: registers every WebGPU exercise kernel. Import this (after framework/webgpu) and the
 * layers of Exercises 1 and 2 run on the GPU when their inputs live there.
 *
 * Handout: docs/exercises/5-webgpu.md
 */
import './relu-kernels.js';
import './matmul.js';
import './softmax-kernel.js';
import './conv2d.js';
import './max-pool2d.js';
