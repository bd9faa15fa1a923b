#!/usr/bin/env python3
"""Writes the small PyTorch-exported ONNX fixtures of the importer's tests (test/fixtures/onnx/).
Weights are random from a fixed seed: the tests compare the import against onnxruntime on the same
file, so the fixtures need no training.

    /usr/bin/python3 training/make_fixtures.py test/fixtures/onnx

- bn-avgpool.onnx: Conv, BatchNormalization (exported with training=PRESERVE, so it is not folded
  into the Conv by the exporter), Relu, AvgPool2d (PyTorch emits Constant + Pad + AveragePool),
  Dropout and Identity (the exporter drops both in eval mode; they are inserted with onnx.helper
  as other exporters leave them), Flatten, Gemm, Softmax.
- square-view.onnx: a B-like network with x·x, x.view(x.size(0), -1) under a dynamic batch axis
  (Shape → Gather → Unsqueeze → Concat → Reshape) and x**2 (Pow).
- unsupported.onnx: five nodes the format cannot take (Sigmoid, a grouped Conv, a dilated Conv,
  Tanh, LeakyRelu) among supported ones, for the all-at-once error.
"""
import os
import sys

import onnx
import torch
import torch.nn as nn
from onnx import helper


class Square(nn.Module):
    def forward(self, x):
        return x * x


class SquareView(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 5, 5, stride=2, padding=2)
        self.fc1 = nn.Linear(980, 8)
        self.fc2 = nn.Linear(8, 10)

    def forward(self, x):
        x = self.conv(x)
        x = x * x
        x = x.view(x.size(0), -1)
        return self.fc2(self.fc1(x) ** 2)


def export(model, path, **kwargs):
    model.eval()
    torch.onnx.export(model, torch.zeros(1, 1, 28, 28), path, opset_version=13, input_names=['image'], output_names=['output'], **kwargs)


def insert_after(graph, op_type, tensor, name):
    """Insert `op_type` reading `tensor`; its former readers read the new node's output instead."""
    new_output = f'{tensor}_{op_type.lower()}'
    for node in graph.node:
        for i, value in enumerate(node.input):
            if value == tensor:
                node.input[i] = new_output
    index = next(i for i, node in enumerate(graph.node) if tensor in node.output)
    graph.node.insert(index + 1, helper.make_node(op_type, [tensor], [new_output], name=name))


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(7)

    bn = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.AvgPool2d(2),
                       nn.Flatten(), nn.Linear(4 * 14 * 14, 10), nn.Softmax(dim=1))
    with torch.no_grad():
        norm = bn[1]
        norm.weight.uniform_(0.5, 1.5)
        norm.bias.uniform_(-0.2, 0.2)
        norm.running_mean.uniform_(-0.1, 0.3)
        norm.running_var.uniform_(0.5, 2.0)
    path = os.path.join(out, 'bn-avgpool.onnx')
    export(bn, path, training=torch.onnx.TrainingMode.PRESERVE)
    model = onnx.load(path)
    pool = next(n for n in model.graph.node if n.op_type == 'AveragePool')
    insert_after(model.graph, 'Dropout', pool.output[0], 'dropout')
    relu = next(n for n in model.graph.node if n.op_type == 'Relu')
    insert_after(model.graph, 'Identity', relu.output[0], 'identity')
    onnx.checker.check_model(model)
    onnx.save(model, path)

    export(SquareView(), os.path.join(out, 'square-view.onnx'), dynamic_axes={'image': {0: 'batch'}, 'output': {0: 'batch'}})

    unsupported = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.Sigmoid(), nn.Conv2d(4, 4, 3, padding=1, groups=2),
                                nn.Conv2d(4, 4, 3, padding=2, dilation=2), nn.Tanh(), nn.MaxPool2d(2), nn.Flatten(),
                                nn.Linear(4 * 14 * 14, 16), nn.LeakyReLU(), nn.Linear(16, 10))
    export(unsupported, os.path.join(out, 'unsupported.onnx'))
    for name in sorted(os.listdir(out)):
        if name.endswith('.onnx'):
            graph = onnx.load(os.path.join(out, name)).graph
            print(name, os.path.getsize(os.path.join(out, name)), 'bytes:', ' '.join(n.op_type for n in graph.node))


if __name__ == '__main__':
    main()
