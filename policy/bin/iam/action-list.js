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
exports.SERVICE_ACTIONS_PATH = void 0;
exports.serviceActions = serviceActions;
exports.actionCount = actionCount;
// The IAM actions of every AWS service, read from the generated service-actions.json (see
// generate.ts). Loaded on first use and kept: about 22,000 names, parsed in a few milliseconds.
// (Not named service-actions.ts: Node resolves "./service-actions" to the .json file first.)
const fs = __importStar(require("fs"));
const pack_files_1 = require("../pack-files");
exports.SERVICE_ACTIONS_PATH = (0, pack_files_1.packFile)("iam", "service-actions.json");
let loaded;
/** Every service, keyed by its lower-case prefix. */
function serviceActions() {
    if (loaded !== undefined)
        return loaded;
    const file = JSON.parse(fs.readFileSync(exports.SERVICE_ACTIONS_PATH, "utf8"));
    const map = new Map();
    for (const [service, actions] of Object.entries(file.services)) {
        const key = service.toLowerCase();
        map.set(key, { service: key, actions: actions.map((a) => `${key}:${a.toLowerCase()}`) });
    }
    loaded = map;
    return loaded;
}
/** How many actions the list knows for `service` (0 for a service it does not know). */
function actionCount(service) {
    return serviceActions().get(service.toLowerCase())?.actions.length ?? 0;
}
