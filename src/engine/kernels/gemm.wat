;; The engine's matrix-product kernel: WebAssembly SIMD (f64x2), and the patch matrices of a
;; convolution (im2col and its adjoint), so they are made where the products read them; assembled by scripts/build.mjs
;; (wabt) into gemmWasm.generated.ts, and loaded by wasmGemm.ts. All addresses and strides are
;; in bytes; every loop runs its body count ≥ 1 times, guarded by a block that skips count = 0.
(module
  ;; gemm(a, sa, spa, sap, b, spb, sbp, c, ldc, mb, nb, k) computes
  ;;   C(i, j) = Σ_p A(i, p) · B(p, j)  for i < 4·mb, j < 4·nb, p < k, where
  ;;   A(i, p) is the f64 at a + ⌊i/4⌋·sap + (i mod 4)·sa + p·spa   (any strides: scalar reads)
  ;;   B(p, j) is the f64 at b + ⌊j/4⌋·sbp + p·spb + (j mod 4)·8   (4 adjacent columns: 2 vectors)
  ;;   C(i, j) is stored at c + i·ldc + j·8                          (fully overwritten)
  ;; A 4×4 tile keeps 8 f64x2 accumulators, 2 B vectors and one broadcast A value in the 16 xmm
  ;; registers; measured faster than 6×4, 4×6, 4×8 and 8×4 tiles, which spill.
  (func (export "gemm")
    (param $a i32) (param $sa i32) (param $spa i32) (param $sap i32)
    (param $b i32) (param $spb i32) (param $sbp i32)
    (param $c i32) (param $ldc i32) (param $mb i32) (param $nb i32) (param $k i32)
    (local $ib i32) (local $jb i32) (local $aRow i32) (local $pb i32) (local $cnt i32) (local $cTile i32)
    ;; one A pointer per row of the tile
    (local $pa0 i32) (local $pa1 i32) (local $pa2 i32) (local $pa3 i32)
    ;; $cRH: row R of the tile, columns 2H and 2H+1
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local $b0 v128) (local $b1 v128) (local $aVal v128)

    (local.set $ib (i32.const 0))
    (block $noRows (br_if $noRows (i32.eqz (local.get $mb)))
      (loop $rowTiles
        (local.set $aRow (i32.add (local.get $a) (i32.mul (local.get $ib) (local.get $sap))))
        (local.set $jb (i32.const 0))
        (block $noCols (br_if $noCols (i32.eqz (local.get $nb)))
          (loop $colTiles
            (local.set $c00 (v128.const i64x2 0 0)) (local.set $c01 (v128.const i64x2 0 0))
            (local.set $c10 (v128.const i64x2 0 0)) (local.set $c11 (v128.const i64x2 0 0))
            (local.set $c20 (v128.const i64x2 0 0)) (local.set $c21 (v128.const i64x2 0 0))
            (local.set $c30 (v128.const i64x2 0 0)) (local.set $c31 (v128.const i64x2 0 0))
            (local.set $pa0 (local.get $aRow))
            (local.set $pa1 (i32.add (local.get $pa0) (local.get $sa)))
            (local.set $pa2 (i32.add (local.get $pa1) (local.get $sa)))
            (local.set $pa3 (i32.add (local.get $pa2) (local.get $sa)))
            (local.set $pb (i32.add (local.get $b) (i32.mul (local.get $jb) (local.get $sbp))))
            (local.set $cnt (local.get $k))
            (block $noInner (br_if $noInner (i32.eqz (local.get $k)))
              (loop $inner
                ;; B(p, j..j+3) as two vectors, then each row's A(i, p) broadcast against them
                (local.set $b0 (v128.load align=8 (local.get $pb)))
                (local.set $b1 (v128.load offset=16 align=8 (local.get $pb)))

                (local.set $aVal (v128.load64_splat (local.get $pa0)))
                (local.set $c00 (f64x2.add (local.get $c00) (f64x2.mul (local.get $aVal) (local.get $b0))))
                (local.set $c01 (f64x2.add (local.get $c01) (f64x2.mul (local.get $aVal) (local.get $b1))))
                (local.set $pa0 (i32.add (local.get $pa0) (local.get $spa)))

                (local.set $aVal (v128.load64_splat (local.get $pa1)))
                (local.set $c10 (f64x2.add (local.get $c10) (f64x2.mul (local.get $aVal) (local.get $b0))))
                (local.set $c11 (f64x2.add (local.get $c11) (f64x2.mul (local.get $aVal) (local.get $b1))))
                (local.set $pa1 (i32.add (local.get $pa1) (local.get $spa)))

                (local.set $aVal (v128.load64_splat (local.get $pa2)))
                (local.set $c20 (f64x2.add (local.get $c20) (f64x2.mul (local.get $aVal) (local.get $b0))))
                (local.set $c21 (f64x2.add (local.get $c21) (f64x2.mul (local.get $aVal) (local.get $b1))))
                (local.set $pa2 (i32.add (local.get $pa2) (local.get $spa)))

                (local.set $aVal (v128.load64_splat (local.get $pa3)))
                (local.set $c30 (f64x2.add (local.get $c30) (f64x2.mul (local.get $aVal) (local.get $b0))))
                (local.set $c31 (f64x2.add (local.get $c31) (f64x2.mul (local.get $aVal) (local.get $b1))))
                (local.set $pa3 (i32.add (local.get $pa3) (local.get $spa)))

                (local.set $pb (i32.add (local.get $pb) (local.get $spb)))
                (br_if $inner (local.tee $cnt (i32.sub (local.get $cnt) (i32.const 1))))))
            ;; the tile's top-left corner: c + 4·ib·ldc + jb·32
            (local.set $cTile
              (i32.add
                (i32.add (local.get $c) (i32.mul (i32.mul (local.get $ib) (i32.const 4)) (local.get $ldc)))
                (i32.mul (local.get $jb) (i32.const 32))))
            (v128.store align=8 (local.get $cTile) (local.get $c00))
            (v128.store offset=16 align=8 (local.get $cTile) (local.get $c01))
            (local.set $cTile (i32.add (local.get $cTile) (local.get $ldc)))
            (v128.store align=8 (local.get $cTile) (local.get $c10))
            (v128.store offset=16 align=8 (local.get $cTile) (local.get $c11))
            (local.set $cTile (i32.add (local.get $cTile) (local.get $ldc)))
            (v128.store align=8 (local.get $cTile) (local.get $c20))
            (v128.store offset=16 align=8 (local.get $cTile) (local.get $c21))
            (local.set $cTile (i32.add (local.get $cTile) (local.get $ldc)))
            (v128.store align=8 (local.get $cTile) (local.get $c30))
            (v128.store offset=16 align=8 (local.get $cTile) (local.get $c31))
            (br_if $colTiles
              (i32.lt_u (local.tee $jb (i32.add (local.get $jb) (i32.const 1))) (local.get $nb)))))
        (br_if $rowTiles
          (i32.lt_u (local.tee $ib (i32.add (local.get $ib) (i32.const 1))) (local.get $mb))))))

  ;; pack(src, srs, scs, dst, nb, k) copies B(p, j) = f64 at src + p·srs + j·scs, j < 4·nb, p < k,
  ;; into nb panels at dst: element (p, j) of panel ⌊j/4⌋ at dst + (⌊j/4⌋·4k + 4p + (j mod 4))·8,
  ;; the layout gemm reads with spb = 32, sbp = 32k. Two copies of one loop, differing in how a
  ;; panel row of four values moves: packContiguous (scs = 8) as two v128s, packStrided one by one.
  (func (export "packContiguous")
    (param $src i32) (param $srs i32) (param $scs i32) (param $dst i32) (param $nb i32) (param $k i32)
    (local $jb i32) (local $q i32) (local $cnt i32) (local $s2 i32) (local $s3 i32) (local $col i32) (local $panel i32)
    (local.set $s2 (i32.mul (local.get $scs) (i32.const 2)))
    (local.set $s3 (i32.mul (local.get $scs) (i32.const 3)))
    (local.set $panel (i32.mul (local.get $scs) (i32.const 4))) ;; src bytes between panels
    (local.set $col (local.get $src))
    (local.set $jb (i32.const 0))
    (block $noPanels (br_if $noPanels (i32.eqz (local.get $nb)))
      (loop $panels
        (local.set $q (local.get $col))
        (local.set $cnt (local.get $k))
        (block $noRows (br_if $noRows (i32.eqz (local.get $k)))
          (loop $rows
            (v128.store align=8 (local.get $dst) (v128.load align=8 (local.get $q)))
            (v128.store offset=16 align=8 (local.get $dst) (v128.load offset=16 align=8 (local.get $q)))
            (local.set $dst (i32.add (local.get $dst) (i32.const 32)))
            (local.set $q (i32.add (local.get $q) (local.get $srs)))
            (br_if $rows (local.tee $cnt (i32.sub (local.get $cnt) (i32.const 1))))))
        (local.set $col (i32.add (local.get $col) (local.get $panel)))
        (br_if $panels
          (i32.lt_u (local.tee $jb (i32.add (local.get $jb) (i32.const 1))) (local.get $nb))))))

  (func (export "packStrided")
    (param $src i32) (param $srs i32) (param $scs i32) (param $dst i32) (param $nb i32) (param $k i32)
    (local $jb i32) (local $q i32) (local $cnt i32) (local $s2 i32) (local $s3 i32) (local $col i32) (local $panel i32)
    (local.set $s2 (i32.mul (local.get $scs) (i32.const 2)))
    (local.set $s3 (i32.mul (local.get $scs) (i32.const 3)))
    (local.set $panel (i32.mul (local.get $scs) (i32.const 4))) ;; src bytes between panels
    (local.set $col (local.get $src))
    (local.set $jb (i32.const 0))
    (block $noPanels (br_if $noPanels (i32.eqz (local.get $nb)))
      (loop $panels
        (local.set $q (local.get $col))
        (local.set $cnt (local.get $k))
        (block $noRows (br_if $noRows (i32.eqz (local.get $k)))
          (loop $rows
            (f64.store (local.get $dst) (f64.load (local.get $q)))
            (f64.store offset=8 (local.get $dst) (f64.load (i32.add (local.get $q) (local.get $scs))))
            (f64.store offset=16 (local.get $dst) (f64.load (i32.add (local.get $q) (local.get $s2))))
            (f64.store offset=24 (local.get $dst) (f64.load (i32.add (local.get $q) (local.get $s3))))
            (local.set $dst (i32.add (local.get $dst) (i32.const 32)))
            (local.set $q (i32.add (local.get $q) (local.get $srs)))
            (br_if $rows (local.tee $cnt (i32.sub (local.get $cnt) (i32.const 1))))))
        (local.set $col (i32.add (local.get $col) (local.get $panel)))
        (br_if $panels
          (i32.lt_u (local.tee $jb (i32.add (local.get $jb) (i32.const 1))) (local.get $nb))))))

  ;; patches(src, dst, n, xn, ho, wo, yb, sy, ylo, yhi, lo, hi, xs, sx, acc) moves one row of a
  ;; convolution's patch matrix (one kernel entry (c, i, j), every output position) between the
  ;; image and the matrix, for every example e < n and output position (oy, ox), oy < ho, ox < wo:
  ;;   the image entry at src + e·xn + oy·sy + yb + ox·sx + xs   (addresses in bytes)
  ;;   the matrix entry at dst + ((e·ho + oy)·wo + ox)·8
  ;; for ylo ≤ oy < yhi and lo ≤ ox < hi (the window inside the image); elsewhere it is padding.
  ;; acc = 0 (im2col): matrix ← image, zeros on the padding.
  ;; acc = 1 (col2im): image += matrix, padding skipped; its adjoint, summed over kernel entries.
  ;; Each matrix row splits into padding | inside | padding, so the inner loop has no tests; with
  ;; sx = 8 (stride 1) two entries move per f64x2.
  (func (export "patches")
    (param $src i32) (param $dst i32) (param $n i32) (param $xn i32) (param $ho i32) (param $wo i32)
    (param $yb i32) (param $sy i32) (param $ylo i32) (param $yhi i32)
    (param $lo i32) (param $hi i32) (param $xs i32) (param $sx i32) (param $acc i32)
    (local $e i32) (local $oy i32) (local $q i32) (local $d i32) (local $end i32) (local $rowBytes i32)
    (local $lead i32) (local $tail i32) (local $pairs i32)
    (local.set $rowBytes (i32.mul (local.get $wo) (i32.const 8)))
    (local.set $lead (i32.mul (local.get $lo) (i32.const 8)))
    (local.set $tail (i32.mul (i32.sub (local.get $wo) (local.get $hi)) (i32.const 8)))
    (local.set $d (local.get $dst))
    (local.set $e (i32.const 0))
    (block $noExamples (br_if $noExamples (i32.eqz (local.get $n)))
      (loop $examples
        (local.set $oy (i32.const 0))
        (block $noRows (br_if $noRows (i32.eqz (local.get $ho)))
          (loop $rows
            (if (i32.and (i32.ge_s (local.get $oy) (local.get $ylo)) (i32.lt_s (local.get $oy) (local.get $yhi)))
              (then
                (if (i32.eqz (local.get $acc)) (then (memory.fill (local.get $d) (i32.const 0) (local.get $lead))))
                ;; the inside: image entry q, matrix entry d, hi − lo of them
                (local.set $q
                  (i32.add
                    (i32.add (local.get $src) (i32.mul (local.get $e) (local.get $xn)))
                    (i32.add
                      (i32.add (i32.mul (local.get $oy) (local.get $sy)) (local.get $yb))
                      (i32.add (i32.mul (local.get $lo) (local.get $sx)) (local.get $xs)))))
                (local.set $d (i32.add (local.get $d) (local.get $lead)))
                (local.set $end (i32.add (local.get $d) (i32.mul (i32.sub (local.get $hi) (local.get $lo)) (i32.const 8))))
                (if (i32.and (i32.eq (local.get $sx) (i32.const 8)) (i32.eqz (local.get $acc)))
                  (then
                    ;; stride 1: pairs as f64x2, then an odd last one
                    (local.set $pairs (i32.sub (local.get $end) (i32.const 8)))
                    (block $donePairs
                      (loop $copyPairs
                        (br_if $donePairs (i32.ge_s (local.get $d) (local.get $pairs)))
                        (v128.store align=8 (local.get $d) (v128.load align=8 (local.get $q)))
                        (local.set $d (i32.add (local.get $d) (i32.const 16)))
                        (local.set $q (i32.add (local.get $q) (i32.const 16)))
                        (br $copyPairs)))))
                (if (i32.and (i32.eq (local.get $sx) (i32.const 8)) (local.get $acc))
                  (then
                    (local.set $pairs (i32.sub (local.get $end) (i32.const 8)))
                    (block $doneAddPairs
                      (loop $addPairs
                        (br_if $doneAddPairs (i32.ge_s (local.get $d) (local.get $pairs)))
                        (v128.store align=8 (local.get $q)
                          (f64x2.add (v128.load align=8 (local.get $q)) (v128.load align=8 (local.get $d))))
                        (local.set $d (i32.add (local.get $d) (i32.const 16)))
                        (local.set $q (i32.add (local.get $q) (i32.const 16)))
                        (br $addPairs)))))
                (block $doneOnes
                  (loop $ones
                    (br_if $doneOnes (i32.ge_s (local.get $d) (local.get $end)))
                    (if (local.get $acc)
                      (then (f64.store (local.get $q) (f64.add (f64.load (local.get $q)) (f64.load (local.get $d)))))
                      (else (f64.store (local.get $d) (f64.load (local.get $q)))))
                    (local.set $d (i32.add (local.get $d) (i32.const 8)))
                    (local.set $q (i32.add (local.get $q) (local.get $sx)))
                    (br $ones)))
                (if (i32.eqz (local.get $acc)) (then (memory.fill (local.get $d) (i32.const 0) (local.get $tail))))
                (local.set $d (i32.add (local.get $d) (local.get $tail))))
              (else
                ;; a row of padding: zeros in the matrix (im2col), nothing to add (col2im)
                (if (i32.eqz (local.get $acc)) (then (memory.fill (local.get $d) (i32.const 0) (local.get $rowBytes))))
                (local.set $d (i32.add (local.get $d) (local.get $rowBytes)))))
            (br_if $rows (i32.lt_s (local.tee $oy (i32.add (local.get $oy) (i32.const 1))) (local.get $ho)))))
        (br_if $examples (i32.lt_s (local.tee $e (i32.add (local.get $e) (i32.const 1))) (local.get $n))))))

  ;; Shared by them all: one page to start, grown by wasmGemm.ts to the largest product seen.
  (memory (export "memory") 1))
