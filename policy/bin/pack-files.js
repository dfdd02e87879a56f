"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
exports.PACK_ROOT = exports.COMPILED_DIR = void 0;
exports.packFile = packFile;
// Where the pack's data files are. The engine runs the compiled pack (bin/, package.json "main");
// the tests, the offline plan and the stack's config validation run the TypeScript sources. Both
// read the same data files under policy/, so their paths start at the pack's root rather than at
// the calling module's directory (bin/catalog/ holds no instance-types.json).
const path = __importStar(require("path"));
/** Where `npm run build:policy` writes the compiled pack (policy/tsconfig.json's outDir). */
exports.COMPILED_DIR = "bin";
/** The pack's root: this module's directory, or its parent when this module runs compiled from bin/. */
exports.PACK_ROOT = path.basename(__dirname) === exports.COMPILED_DIR ? path.dirname(__dirname) : __dirname;
/** A file of the pack, by its path below the pack's root. */
function packFile(...parts) {
    return path.join(exports.PACK_ROOT, ...parts);
}
