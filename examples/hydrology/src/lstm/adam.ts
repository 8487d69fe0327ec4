/**
 * @module lstm/adam
 * Adam as PyTorch's (β₁ 0.9, β₂ 0.999, ε 1e-8 added to √v̂, no weight decay), preceded by
 * clipping the gradient's global norm as torch.nn.utils.clip_grad_norm_. Moments and the
 * update are in float64, the weights stay float32.
 */

export interface AdamOptions {
  readonly learningRate: number;
  readonly beta1?: number;
  readonly beta2?: number;
  readonly epsilon?: number;
}

export class Adam {
  private readonly m: Float64Array;
  private readonly v: Float64Array;
  private readonly lr: number;
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly epsilon: number;
  /** β₁ᵗ and β₂ᵗ, by repeated products: `**` may round differently across engines. */
  private beta1t = 1;
  private beta2t = 1;

  constructor(size: number, options: AdamOptions) {
    this.m = new Float64Array(size);
    this.v = new Float64Array(size);
    this.lr = options.learningRate;
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-8;
  }

  step(params: Float32Array, grads: Float64Array): void {
    const { m, v, beta1, beta2 } = this;
    this.beta1t *= beta1;
    this.beta2t *= beta2;
    const stepSize = this.lr / (1 - this.beta1t);
    const correction2 = Math.sqrt(1 - this.beta2t);
    for (let i = 0; i < params.length; i++) {
      const g = grads[i]!;
      const mi = beta1 * m[i]! + (1 - beta1) * g;
      const vi = beta2 * v[i]! + (1 - beta2) * g * g;
      m[i] = mi;
      v[i] = vi;
      params[i]! -= (stepSize * mi) / (Math.sqrt(vi) / correction2 + this.epsilon);
    }
  }
}

/** Scales `grads` in place so that their L2 norm is at most `maxNorm`; returns the norm before. */
export function clipByGlobalNorm(grads: Float64Array, maxNorm: number): number {
  let sum = 0;
  for (let i = 0; i < grads.length; i++) sum += grads[i]! * grads[i]!;
  const norm = Math.sqrt(sum);
  const factor = maxNorm / (norm + 1e-6);
  if (factor < 1) for (let i = 0; i < grads.length; i++) grads[i]! *= factor;
  return norm;
}
