import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The web app is built into dist/ and served by the Marsad server at /.
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1200,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
