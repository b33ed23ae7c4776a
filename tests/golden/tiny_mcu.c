// Auto-generated file. Do not edit!
//   Generator: convtgen 0.1.0
//   Layer: ConvTranspose2d(8, 4, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), output_padding=(1, 1), groups=1, bias=True, dilation=(1, 1)) on input (1, 8, 8, 8), float32
//   Target: portable
//   Code: phases (templates/phases.c.in)
//     stride-phase code, 4 phases with their borders peeled, unroll = auto

void tiny_mcu_pack(const float *weight, const float *bias, float *packed);
int tiny_mcu_run_packed(const float *input, const float *packed, float *output);
int tiny_mcu_run(const float *input, const float *weight, const float *bias, float *output);
int tiny_mcu_run_packed_batch(int batch, const float *input, const float *packed, float *output);
int tiny_mcu_run_batch(int batch, const float *input, const float *weight, const float *bias, float *output);

/* Gather form: each output is summed in registers over exactly the taps that reach its stride
 * phase and stored once, bias included. Interior regions have no bounds checks; border rows
 * and columns are their own regions with only the taps that land inside the input. */

/* phase (oh % 2, ow % 2) = (0, 0): 1 taps, 8x8 outputs */
static void tiny_mcu_phase_0_0(int batch, const float *restrict x, const float *restrict w,
    const float *restrict b, float *restrict y) {
  /* rows 0..7, cols 0..7: 1 of 1 taps (interior) */
  for (int n = 0; n < batch; n++) {
    { const int g = 0;
      { const int cb = 0;
        const float *wb = w + g * 288 + cb * 9;
        for (int qh = 0; qh <= 7; qh++) {
          const float *xr = x + (n * 8 + g * 8) * 64 + qh * 8;
          float *yr = y + (n * 4 + g * 4 + cb) * 256 + qh * 32;
          for (int qw = 0; qw <= 7; qw++) {
            const float *xp = xr + qw;
            float acc0 = b[g * 4 + cb];
            float acc1 = b[g * 4 + cb + 1];
            float acc2 = b[g * 4 + cb + 2];
            float acc3 = b[g * 4 + cb + 3];
            {
              const float *xc = xp;
              const float *wc = wb;
              acc0 += xc[0] * wc[4] + xc[64] * wc[40] + xc[128] * wc[76] + xc[192] * wc[112] +
                  xc[256] * wc[148] + xc[320] * wc[184] + xc[384] * wc[220] + xc[448] * wc[256];
              acc1 += xc[0] * wc[13] + xc[64] * wc[49] + xc[128] * wc[85] + xc[192] * wc[121] +
                  xc[256] * wc[157] + xc[320] * wc[193] + xc[384] * wc[229] + xc[448] * wc[265];
              acc2 += xc[0] * wc[22] + xc[64] * wc[58] + xc[128] * wc[94] + xc[192] * wc[130] +
                  xc[256] * wc[166] + xc[320] * wc[202] + xc[384] * wc[238] + xc[448] * wc[274];
              acc3 += xc[0] * wc[31] + xc[64] * wc[67] + xc[128] * wc[103] + xc[192] * wc[139] +
                  xc[256] * wc[175] + xc[320] * wc[211] + xc[384] * wc[247] + xc[448] * wc[283];
            }
            yr[qw * 2] = acc0;
            yr[256 + qw * 2] = acc1;
            yr[512 + qw * 2] = acc2;
            yr[768 + qw * 2] = acc3;
          }
        }
      }
    }
  }
}

/* phase (oh % 2, ow % 2) = (0, 1): 2 taps, 8x8 outputs */
static void tiny_mcu_phase_0_1(int batch, const float *restrict x, const float *restrict w,
    const float *restrict b, float *restrict y) {
  /* rows 0..7, cols 0..6: 2 of 2 taps (interior) */
  for (int n = 0; n < batch; n++) {
    { const int g = 0;
      { const int cb = 0;
        const float *wb = w + g * 288 + cb * 9;
        for (int qh = 0; qh <= 7; qh++) {
          const float *xr = x + (n * 8 + g * 8) * 64 + qh * 8;
          float *yr = y + (n * 4 + g * 4 + cb) * 256 + qh * 32 + 1;
          for (int qw = 0; qw <= 6; qw++) {
            const float *xp = xr + qw;
            float acc0 = b[g * 4 + cb];
            float acc1 = b[g * 4 + cb + 1];
            float acc2 = b[g * 4 + cb + 2];
            float acc3 = b[g * 4 + cb + 3];
            {
              const float *xc = xp;
              const float *wc = wb;
              acc0 += xc[1] * wc[3] + xc[0] * wc[5] + xc[65] * wc[39] + xc[64] * wc[41] +
                  xc[129] * wc[75] + xc[128] * wc[77] + xc[193] * wc[111] + xc[192] * wc[113] +
                  xc[257] * wc[147] + xc[256] * wc[149] + xc[321] * wc[183] + xc[320] * wc[185] +
                  xc[385] * wc[219] + xc[384] * wc[221] + xc[449] * wc[255] + xc[448] * wc[257];
              acc1 += xc[1] * wc[12] + xc[0] * wc[14] + xc[65] * wc[48] + xc[64] * wc[50] +
                  xc[129] * wc[84] + xc[128] * wc[86] + xc[193] * wc[120] + xc[192] * wc[122] +
                  xc[257] * wc[156] + xc[256] * wc[158] + xc[321] * wc[192] + xc[320] * wc[194] +
                  xc[385] * wc[228] + xc[384] * wc[230] + xc[449] * wc[264] + xc[448] * wc[266];
              acc2 += xc[1] * wc[21] + xc[0] * wc[23] + xc[65] * wc[57] + xc[64] * wc[59] +
                  xc[129] * wc[93] + xc[128] * wc[95] + xc[193] * wc[129] + xc[192] * wc[131] +
                  xc[257] * wc[165] + xc[256] * wc[167] + xc[321] * wc[201] + xc[320] * wc[203] +
                  xc[385] * wc[237] + xc[384] * wc[239] + xc[449] * wc[273] + xc[448] * wc[275];
              acc3 += xc[1] * wc[30] + xc[0] * wc[32] + xc[65] * wc[66] + xc[64] * wc[68] +
                  xc[129] * wc[102] + xc[128] * wc[104] + xc[193] * wc[138] + xc[192] * wc[140] +
                  xc[257] * wc[174] + xc[256] * wc[176] + xc[321] * wc[210] + xc[320] * wc[212] +
                  xc[385] * wc[246] + xc[384] * wc[248] + xc[449] * wc[282] + xc[448] * wc[284];
            }
            yr[qw * 2] = acc0;
            yr[256 + qw * 2] = acc1;
            yr[512 + qw * 2] = acc2;
            yr[768 + qw * 2] = acc3;
          }
        }
      }
    }
  }
  /* rows 0..7, cols 7..7: 1 of 2 taps */
  for (int n = 0; n < batch; n++) {
    { const int g = 0;
      { const int cb = 0;
        const float *wb = w + g * 288 + cb * 9;
        for (int qh = 0; qh <= 7; qh++) {
          const float *xr = x + (n * 8 + g * 8) * 64 + qh * 8;
          float *yr = y + (n * 4 + g * 4 + cb) * 256 + qh * 32 + 1;
          { const int qw = 7;
            const float *xp = xr + qw;
            float acc0 = b[g * 4 + cb];
            float acc1 = b[g * 4 + cb + 1];
            float acc2 = b[g * 4 + cb + 2];
            float acc3 = b[g * 4 + cb + 3];
            {
              const float *xc = xp;
              const float *wc = wb;
              acc0 += xc[0] * wc[5] + xc[64] * wc[41] + xc[128] * wc[77] + xc[192] * wc[113] +
                  xc[256] * wc[149] + xc[320] * wc[185] + xc[384] * wc[221] + xc[448] * wc[257];
              acc1 += xc[0] * wc[14] + xc[64] * wc[50] + xc[128] * wc[86] + xc[192] * wc[122] +
                  xc[256] * wc[158] + xc[320] * wc[194] + xc[384] * wc[230] + xc[448] * wc[266];
              acc2 += xc[0] * wc[23] + xc[64] * wc[59] + xc[128] * wc[95] + xc[192] * wc[131] +
                  xc[256] * wc[167] + xc[320] * wc[203] + xc[384] * wc[239] + xc[448] * wc[275];
              acc3 += xc[0] * wc[32] + xc[64] * wc[68] + xc[128] * wc[104] + xc[192] * wc[140] +
                  xc[256] * wc[176] + xc[320] * wc[212] + xc[384] * wc[248] + xc[448] * wc[284];
            }
            yr[qw * 2] = acc0;
            yr[256 + qw * 2] = acc1;
            yr[512 + qw * 2] = acc2;
            yr[768 + qw * 2] = acc3;
          }
        }
      }
    }
  }
}

/* phase (oh % 2, ow % 2) = (1, 0): 2 taps, 8x8 outputs */
static void tiny_mcu_phase_1_0(int batch, const float *restrict x, const float *restrict w,
    const float *restrict b, float *restrict y) {
  /* rows 0..6, cols 0..7: 2 of 2 taps (interior) */
  for (int n = 0; n < batch; n++) {
    { const int g = 0;
      { const int cb = 0;
        const float *wb = w + g * 288 + cb * 9;
        for (int qh = 0; qh <= 6; qh++) {
          const float *xr = x + (n * 8 + g * 8) * 64 + qh * 8;
          float *yr = y + (n * 4 + g * 4 + cb) * 256 + qh * 32 + 16;
          for (int qw = 0; qw <= 7; qw++) {
            const float *xp = xr + qw;
            float acc0 = b[g * 4 + cb];
            float acc1 = b[g * 4 + cb + 1];
            float acc2 = b[g * 4 + cb + 2];
            float acc3 = b[g * 4 + cb + 3];
            {
              const float *xc = xp;
              const float *wc = wb;
              acc0 += xc[8] * wc[1] + xc[0] * wc[7] + xc[72] * wc[37] + xc[64] * wc[43] +
                  xc[136] * wc[73] + xc[128] * wc[79] + xc[200] * wc[109] + xc[192] * wc[115] +
                  xc[264] * wc[145] + xc[256] * wc[151] + xc[328] * wc[181] + xc[320] * wc[187] +
                  xc[392] * wc[217] + xc[384] * wc[223] + xc[456] * wc[253] + xc[448] * wc[259];
              acc1 += xc[8] * wc[10] + xc[0] * wc[16] + xc[72] * wc[46] + xc[64] * wc[52] +
                  xc[136] * wc[82] + xc[128] * wc[88] + xc[200] * wc[118] + xc[192] * wc[124] +
                  xc[264] * wc[154] + xc[256] * wc[160] + xc[328] * wc[190] + xc[320] * wc[196] +
                  xc[392] * wc[226] + xc[384] * wc[232] + xc[456] * wc[262] + xc[448] * wc[268];
              acc2 += xc[8] * wc[19] + xc[0] * wc[25] + xc[72] * wc[55] + xc[64] * wc[61] +
                  xc[136] * wc[91] + xc[128] * wc[97] + xc[200] * wc[127] + xc[192] * wc[133] +
                  xc[264] * wc[163] + xc[256] * wc[169] + xc[328] * wc[199] + xc[320] * wc[205] +
                  xc[392] * wc[235] + xc[384] * wc[241] + xc[456] * wc[271] + xc[448] * wc[277];
              acc3 += xc[8] * wc[28] + xc[0] * wc[34] + xc[72] * wc[64] + xc[64] * wc[70] +
                  xc[136] * wc[100] + xc[128] * wc[106] + xc[200] * wc[136] + xc[192] * wc[142] +
                  xc[264] * wc[172] + xc[256] * wc[178] + xc[328] * wc[208] + xc[320] * wc[214] +
                  xc[392] * wc[244] + xc[384] * wc[250] + xc[456] * wc[280] + xc[448] * wc[286];
            }
            yr[qw * 2] = acc0;
            yr[256 + qw * 2] = acc1;
            yr[512 + qw * 2] = acc2;
            yr[768 + qw * 2] = acc3;
          }
        }
      }
    }
  }
  /* rows 7..7, cols 0..7: 1 of 2 taps */
  for (int n = 0; n < batch; n++) {
    { const int g = 0;
      { const int cb = 0;
        const float *wb = w + g * 288 + cb * 9;
        { const int qh = 7;
          const float *xr = x + (n * 8 + g * 8) * 64 + qh * 8;
          float *yr = y + (n * 4 + g * 4 + cb) * 256 + qh * 32 + 16;
          for (int qw = 0; qw <= 7; qw++) {
            const float *xp = xr + qw;
            float acc0 = b[g * 4 + cb];
            float acc1 = b[g * 4 + cb + 1];
            float acc2 = b[g * 4 + cb + 2];
            float acc3 = b[g * 4 + cb + 3];
            {
              const float *xc = xp;
              const float *wc = wb;
              acc0 += xc[0] * wc[7] + xc[64] * wc[43] + xc[128] * wc[79] + xc[192] * wc[115] +
                  xc[256] * wc[151] + xc[320] * wc[187] + xc[384] * wc[223] + xc[448] * wc[259];
              acc1 += xc[0] * wc[16] + xc[64] * wc[52] + xc[128] * wc[88] + xc[192] * wc[124] +
                  xc[256] * wc[160] + xc[320] * wc[196] + xc[384] * wc[232] + xc[448] * wc[268];
              acc2 += xc[0] * wc[25] + xc[64] * wc[61] + xc[128] * wc[97] + xc[192] * wc[133] +
                  xc[256] * wc[169] + xc[320] * wc[205] + xc[384] * wc[241] + xc[448] * wc[277];
              acc3 += xc[0] * wc[34] + xc[64] * wc[70] + xc[128] * wc[106] + xc[192] * wc[142] +
                  xc[256] * wc[178] + xc[320] * wc[214] + xc[384] * wc[250] + xc[448] * wc[286];
            }
            yr[qw * 2] = acc0;
            yr[256 + qw * 2] = acc1;
            yr[512 + qw * 2] = acc2;
            yr[768 + qw * 2] = acc3;
          }
        }
      }
    }
  }
}

/* phase (oh % 2, ow % 2) = (1, 1): 4 taps, 8x8 outputs */
static void tiny_mcu_phase_1_1(int batch, const float *restrict x, const float *restrict w,
    const float *restrict b, float *restrict y) {
  /* rows 0..6, cols 0..6: 4 of 4 taps (interior) */
  for (int n = 0; n < batch; n++) {
    { const int g = 0;
      { const int cb = 0;
        const float *wb = w + g * 288 + cb * 9;
        for (int qh = 0; qh <= 6; qh++) {
          const float *xr = x + (n * 8 + g * 8) * 64 + qh * 8;
          float *yr = y + (n * 4 + g * 4 + cb) * 256 + qh * 32 + 17;
          for (int qw = 0; qw <= 6; qw++) {
            const float *xp = xr + qw;
            float acc0 = b[g * 4 + cb];
            float acc1 = b[g * 4 + cb + 1];
            float acc2 = b[g * 4 + cb + 2];
            float acc3 = b[g * 4 + cb + 3];
            const float *xc = xp;
            const float *wc = wb;
            for (int ci = 0; ci < 8; ci += 4, xc += 256, wc += 144) {
              acc0 += xc[9] * wc[0] + xc[8] * wc[2] + xc[1] * wc[6] + xc[0] * wc[8] +
                  xc[73] * wc[36] + xc[72] * wc[38] + xc[65] * wc[42] + xc[64] * wc[44] +
                  xc[137] * wc[72] + xc[136] * wc[74] + xc[129] * wc[78] + xc[128] * wc[80] +
                  xc[201] * wc[108] + xc[200] * wc[110] + xc[193] * wc[114] + xc[192] * wc[116];
              acc1 += xc[9] * wc[9] + xc[8] * wc[11] + xc[1] * wc[15] + xc[0] * wc[17] +
                  xc[73] * wc[45] + xc[72] * wc[47] + xc[65] * wc[51] + xc[64] * wc[53] +
                  xc[137] * wc[81] + xc[136] * wc[83] + xc[129] * wc[87] + xc[128] * wc[89] +
                  xc[201] * wc[117] + xc[200] * wc[119] + xc[193] * wc[123] + xc[192] * wc[125];
              acc2 += xc[9] * wc[18] + xc[8] * wc[20] + xc[1] * wc[24] + xc[0] * wc[26] +
                  xc[73] * wc[54] + xc[72] * wc[56] + xc[65] * wc[60] + xc[64] * wc[62] +
                  xc[137] * wc[90] + xc[136] * wc[92] + xc[129] * wc[96] + xc[128] * wc[98] +
                  xc[201] * wc[126] + xc[200] * wc[128] + xc[193] * wc[132] + xc[192] * wc[134];
              acc3 += xc[9] * wc[27] + xc[8] * wc[29] + xc[1] * wc[33] + xc[0] * wc[35] +
                  xc[73] * wc[63] + xc[72] * wc[65] + xc[65] * wc[69] + xc[64] * wc[71] +
                  xc[137] * wc[99] + xc[136] * wc[101] + xc[129] * wc[105] + xc[128] * wc[107] +
                  xc[201] * wc[135] + xc[200] * wc[137] + xc[193] * wc[141] + xc[192] * wc[143];
            }
            yr[qw * 2] = acc0;
            yr[256 + qw * 2] = acc1;
            yr[512 + qw * 2] = acc2;
            yr[768 + qw * 2] = acc3;
          }
        }
      }
    }
  }
  /* rows 0..6, cols 7..7: 2 of 4 taps */
  for (int n = 0; n < batch; n++) {
    { const int g = 0;
      { const int cb = 0;
        const float *wb = w + g * 288 + cb * 9;
        for (int qh = 0; qh <= 6; qh++) {
          const float *xr = x + (n * 8 + g * 8) * 64 + qh * 8;
          float *yr = y + (n * 4 + g * 4 + cb) * 256 + qh * 32 + 17;
          { const int qw = 7;
            const float *xp = xr + qw;
            float acc0 = b[g * 4 + cb];
            float acc1 = b[g * 4 + cb + 1];
            float acc2 = b[g * 4 + cb + 2];
            float acc3 = b[g * 4 + cb + 3];
            {
              const float *xc = xp;
              const float *wc = wb;
              acc0 += xc[8] * wc[2] + xc[0] * wc[8] + xc[72] * wc[38] + xc[64] * wc[44] +
                  xc[136] * wc[74] + xc[128] * wc[80] + xc[200] * wc[110] + xc[192] * wc[116] +
                  xc[264] * wc[146] + xc[256] * wc[152] + xc[328] * wc[182] + xc[320] * wc[188] +
                  xc[392] * wc[218] + xc[384] * wc[224] + xc[456] * wc[254] + xc[448] * wc[260];
              acc1 += xc[8] * wc[11] + xc[0] * wc[17] + xc[72] * wc[47] + xc[64] * wc[53] +
                  xc[136] * wc[83] + xc[128] * wc[89] + xc[200] * wc[119] + xc[192] * wc[125] +
                  xc[264] * wc[155] + xc[256] * wc[161] + xc[328] * wc[191] + xc[320] * wc[197] +
                  xc[392] * wc[227] + xc[384] * wc[233] + xc[456] * wc[263] + xc[448] * wc[269];
              acc2 += xc[8] * wc[20] + xc[0] * wc[26] + xc[72] * wc[56] + xc[64] * wc[62] +
                  xc[136] * wc[92] + xc[128] * wc[98] + xc[200] * wc[128] + xc[192] * wc[134] +
                  xc[264] * wc[164] + xc[256] * wc[170] + xc[328] * wc[200] + xc[320] * wc[206] +
                  xc[392] * wc[236] + xc[384] * wc[242] + xc[456] * wc[272] + xc[448] * wc[278];
              acc3 += xc[8] * wc[29] + xc[0] * wc[35] + xc[72] * wc[65] + xc[64] * wc[71] +
                  xc[136] * wc[101] + xc[128] * wc[107] + xc[200] * wc[137] + xc[192] * wc[143] +
                  xc[264] * wc[173] + xc[256] * wc[179] + xc[328] * wc[209] + xc[320] * wc[215] +
                  xc[392] * wc[245] + xc[384] * wc[251] + xc[456] * wc[281] + xc[448] * wc[287];
            }
            yr[qw * 2] = acc0;
            yr[256 + qw * 2] = acc1;
            yr[512 + qw * 2] = acc2;
            yr[768 + qw * 2] = acc3;
          }
        }
      }
    }
  }
  /* rows 7..7, cols 0..6: 2 of 4 taps */
  for (int n = 0; n < batch; n++) {
    { const int g = 0;
      { const int cb = 0;
        const float *wb = w + g * 288 + cb * 9;
        { const int qh = 7;
          const float *xr = x + (n * 8 + g * 8) * 64 + qh * 8;
          float *yr = y + (n * 4 + g * 4 + cb) * 256 + qh * 32 + 17;
          for (int qw = 0; qw <= 6; qw++) {
            const float *xp = xr + qw;
            float acc0 = b[g * 4 + cb];
            float acc1 = b[g * 4 + cb + 1];
            float acc2 = b[g * 4 + cb + 2];
            float acc3 = b[g * 4 + cb + 3];
            {
              const float *xc = xp;
              const float *wc = wb;
              acc0 += xc[1] * wc[6] + xc[0] * wc[8] + xc[65] * wc[42] + xc[64] * wc[44] +
                  xc[129] * wc[78] + xc[128] * wc[80] + xc[193] * wc[114] + xc[192] * wc[116] +
                  xc[257] * wc[150] + xc[256] * wc[152] + xc[321] * wc[186] + xc[320] * wc[188] +
                  xc[385] * wc[222] + xc[384] * wc[224] + xc[449] * wc[258] + xc[448] * wc[260];
              acc1 += xc[1] * wc[15] + xc[0] * wc[17] + xc[65] * wc[51] + xc[64] * wc[53] +
                  xc[129] * wc[87] + xc[128] * wc[89] + xc[193] * wc[123] + xc[192] * wc[125] +
                  xc[257] * wc[159] + xc[256] * wc[161] + xc[321] * wc[195] + xc[320] * wc[197] +
                  xc[385] * wc[231] + xc[384] * wc[233] + xc[449] * wc[267] + xc[448] * wc[269];
              acc2 += xc[1] * wc[24] + xc[0] * wc[26] + xc[65] * wc[60] + xc[64] * wc[62] +
                  xc[129] * wc[96] + xc[128] * wc[98] + xc[193] * wc[132] + xc[192] * wc[134] +
                  xc[257] * wc[168] + xc[256] * wc[170] + xc[321] * wc[204] + xc[320] * wc[206] +
                  xc[385] * wc[240] + xc[384] * wc[242] + xc[449] * wc[276] + xc[448] * wc[278];
              acc3 += xc[1] * wc[33] + xc[0] * wc[35] + xc[65] * wc[69] + xc[64] * wc[71] +
                  xc[129] * wc[105] + xc[128] * wc[107] + xc[193] * wc[141] + xc[192] * wc[143] +
                  xc[257] * wc[177] + xc[256] * wc[179] + xc[321] * wc[213] + xc[320] * wc[215] +
                  xc[385] * wc[249] + xc[384] * wc[251] + xc[449] * wc[285] + xc[448] * wc[287];
            }
            yr[qw * 2] = acc0;
            yr[256 + qw * 2] = acc1;
            yr[512 + qw * 2] = acc2;
            yr[768 + qw * 2] = acc3;
          }
        }
      }
    }
  }
  /* rows 7..7, cols 7..7: 1 of 4 taps */
  for (int n = 0; n < batch; n++) {
    { const int g = 0;
      { const int cb = 0;
        const float *wb = w + g * 288 + cb * 9;
        { const int qh = 7;
          const float *xr = x + (n * 8 + g * 8) * 64 + qh * 8;
          float *yr = y + (n * 4 + g * 4 + cb) * 256 + qh * 32 + 17;
          { const int qw = 7;
            const float *xp = xr + qw;
            float acc0 = b[g * 4 + cb];
            float acc1 = b[g * 4 + cb + 1];
            float acc2 = b[g * 4 + cb + 2];
            float acc3 = b[g * 4 + cb + 3];
            {
              const float *xc = xp;
              const float *wc = wb;
              acc0 += xc[0] * wc[8] + xc[64] * wc[44] + xc[128] * wc[80] + xc[192] * wc[116] +
                  xc[256] * wc[152] + xc[320] * wc[188] + xc[384] * wc[224] + xc[448] * wc[260];
              acc1 += xc[0] * wc[17] + xc[64] * wc[53] + xc[128] * wc[89] + xc[192] * wc[125] +
                  xc[256] * wc[161] + xc[320] * wc[197] + xc[384] * wc[233] + xc[448] * wc[269];
              acc2 += xc[0] * wc[26] + xc[64] * wc[62] + xc[128] * wc[98] + xc[192] * wc[134] +
                  xc[256] * wc[170] + xc[320] * wc[206] + xc[384] * wc[242] + xc[448] * wc[278];
              acc3 += xc[0] * wc[35] + xc[64] * wc[71] + xc[128] * wc[107] + xc[192] * wc[143] +
                  xc[256] * wc[179] + xc[320] * wc[215] + xc[384] * wc[251] + xc[448] * wc[287];
            }
            yr[qw * 2] = acc0;
            yr[256 + qw * 2] = acc1;
            yr[512 + qw * 2] = acc2;
            yr[768 + qw * 2] = acc3;
          }
        }
      }
    }
  }
}

int tiny_mcu_run_batch(int batch, const float *input, const float *weight, const float *bias, float *output) {
  tiny_mcu_phase_0_0(batch, input, weight, bias, output);
  tiny_mcu_phase_0_1(batch, input, weight, bias, output);
  tiny_mcu_phase_1_0(batch, input, weight, bias, output);
  tiny_mcu_phase_1_1(batch, input, weight, bias, output);
  return 0;
}


/* Packed form of this code: the weights, then the bias, as PyTorch stores them. */
void tiny_mcu_pack(const float *weight, const float *bias, float *packed) {
  for (int i = 0; i < 288; i++) packed[i] = weight[i];
  for (int i = 0; i < 4; i++) packed[288 + i] = bias[i];
}

int tiny_mcu_run_packed_batch(int batch, const float *input, const float *packed, float *output) {
  return tiny_mcu_run_batch(batch, input, packed, packed + 288, output);
}

/* the spec's batch of 1 */
int tiny_mcu_run_packed(const float *input, const float *packed, float *output) {
  return tiny_mcu_run_packed_batch(1, input, packed, output);
}

int tiny_mcu_run(const float *input, const float *weight, const float *bias, float *output) {
  return tiny_mcu_run_batch(1, input, weight, bias, output);
}
