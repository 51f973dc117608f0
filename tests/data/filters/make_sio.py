# Regenerates sio.data / sio.nn, the small Si/O fixture of tests/filters/cli_filter_test.cpp (seeded).
import random
rng = random.Random(2024)
L = 6.0
lines = []
for s in range(10):
    species = ['Si'] * 3 + ['O'] * 5
    pos = []
    while len(pos) < len(species):
        p = [rng.uniform(0, L) for _ in range(3)]
        ok = True
        for q in pos:
            d2 = 0.0
            for k in range(3):
                dx = p[k] - q[k]
                dx -= L * round(dx / L)
                d2 += dx * dx
            if d2 < 1.4 ** 2:
                ok = False
        if ok:
            pos.append(p)
    lines.append('begin')
    lines.append('comment filter fixture %d (random, seeded)' % s)
    for k in range(3):
        lines.append('lattice ' + ' '.join('%.1f' % (L if i == k else 0.0) for i in range(3)))
    for sp, p in zip(species, pos):
        lines.append('atom %.6f %.6f %.6f %s 0.0 0.0 0.0 0.0 0.0' % (p[0], p[1], p[2], sp))
    lines.append('energy %.6f' % rng.uniform(-50, -40))
    lines.append('charge 0.0')
    lines.append('end')
open('sio.data', 'w').write('\n'.join(lines) + '\n')
nn = ['# Small Si/O settings for the agl filter CLI test (10 functions per element).',
      'number_of_elements 2', 'elements Si O', 'cutoff_type 6 0.0', 'random_seed 7',
      'scale_symmetry_functions_sigma', 'center_symmetry_functions',
      'global_hidden_layers_short 2', 'global_nodes_short 8 8', 'global_activation_short t t l']
for c in ['Si', 'O']:
    for e in ['Si', 'O']:
        for eta in [0.01, 0.1, 0.5]:
            nn.append('symfunction_short %s 2 %s %g 0.0 4.5' % (c, e, eta))
    for zeta in [1.0, 4.0]:
        for lam in [-1.0, 1.0]:
            nn.append('symfunction_short %s 9 O O 0.01 %g %g 4.5' % (c, lam, zeta))
open('sio.nn', 'w').write('\n'.join(nn) + '\n')
