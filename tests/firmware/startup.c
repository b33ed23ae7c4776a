/* startup.c: the bare-metal start of a test image for QEMU's mps2-an386 (Cortex-M4F) and
 * mps2-an385 (Cortex-M3) boards, which share a memory map.
 * A vector table of our own; the reset handler enables the FPU before any float instruction,
 * then enters newlib's crt0 (_start), which clears .bss, runs main and exits through
 * semihosting. .data needs no copy: QEMU loads it where it lies, in RAM. crti.o (linked by
 * rdimon.specs) supplies the empty _init/_fini that crt0 calls. */
#include <stdint.h>

extern uint32_t __stack_top;
extern void _start(void);
void Reset_Handler(void);
void Fault_Handler(void);

void Reset_Handler(void) {
#if defined(__ARM_FP) /* a Cortex-M4F; the Cortex-M3 (mps2-an385) has no FPU to enable */
  volatile uint32_t *cpacr = (volatile uint32_t *)0xE000ED88u;
  *cpacr |= 0xFu << 20; /* CP10 and CP11: full access */
  __asm volatile("dsb\n\tisb");
#endif
  _start();
  for (;;) {
  }
}

/* A fault ends the run (the host test sees no PASS and a timeout or this exit). */
void Fault_Handler(void) {
  for (;;) {
    __asm volatile("bkpt #0");
  }
}

__attribute__((section(".vectors"), used)) static const void *const vectors[16] = {
  &__stack_top, (const void *)Reset_Handler, (const void *)Fault_Handler, (const void *)Fault_Handler,
  (const void *)Fault_Handler, (const void *)Fault_Handler, (const void *)Fault_Handler,
};
