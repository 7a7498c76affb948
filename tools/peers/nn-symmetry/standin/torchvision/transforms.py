"""torchvision.transforms stand-in: ToTensor, Normalize, Compose for 8-bit grey images (H x W numpy uint8).

Semantics as in torchvision 0.14 for a PIL image of mode "L": ToTensor gives a float32 tensor [1, H, W] equal to
pixel / 255; Normalize(mean, std) gives (t - mean[c]) / std[c] per channel c; Compose applies in order.
"""
import numpy as np
import torch


class Compose:
    def __init__(self, transforms):
        self.transforms = list(transforms)

    def __call__(self, img):
        for t in self.transforms:
            img = t(img)
        return img


class ToTensor:
    def __call__(self, pic):
        a = np.asarray(pic)
        if a.dtype != np.uint8:
            raise TypeError(f"ToTensor stand-in: expected uint8 pixels, got {a.dtype}")
        if a.ndim == 2:
            a = a[None, :, :]
        return torch.from_numpy(np.array(a, dtype=np.uint8, copy=True)).to(torch.float32).div(255.0)


class Normalize:
    def __init__(self, mean, std, inplace=False):
        self.mean = torch.as_tensor(mean, dtype=torch.float32).view(-1, 1, 1)
        self.std = torch.as_tensor(std, dtype=torch.float32).view(-1, 1, 1)
        self.inplace = inplace

    def __call__(self, t):
        if not self.inplace:
            t = t.clone()
        return t.sub_(self.mean).div_(self.std)
